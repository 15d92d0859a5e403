// compound elements: anonymous, multi-port, nested, elementclass, synonyms
Idle -> { input -> Counter -> output } -> Discard;
two :: { input -> Paint(1) -> output; input [1] -> Paint(2) -> [1] output };
Idle -> two -> Discard; Idle -> [1] two [1] -> Discard;
elementclass Shaped { input -> Queue(20) -> Unqueue -> output }
Idle -> s1 :: Shaped -> Discard; Idle -> Shaped -> Discard;
elementclass Pair { input -> p :: Shaped -> Shaped -> output }
Idle -> pr :: Pair -> Discard;
elementclass Same Pair;
Idle -> Same -> Discard;
// element classes are lexically scoped and not recursive
elementclass Null { input -> Counter -> output }
Idle -> Null -> Discard;
elementclass Wrap { elementclass Inner { input -> Strip(14) -> output } input -> Inner -> output }
Idle -> w :: Wrap -> Discard;
