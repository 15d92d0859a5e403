// declarations, inline and anonymous elements, configuration strings
src :: InfiniteSource(LIMIT 5, STOP true)
a, b :: Null;
c1, c2, c3 :: Counter
src -> a -> b -> c1 -> q :: Queue(10) -> Unqueue -> c2 -> Discard;
Idle -> c3 -> Print("paren ) in quotes", 20) -> Discard
Idle -> Print("esc\"aped (", 8) -> Discard;
Idle -> ic :: IPClassifier((tcp or udp) and dst port 53, -) -> Discard; ic [1] -> Discard
Idle -> Print(/* a ) comment */ x) -> Discard;;;
Idle -> Print(x, // a ) comment
  8) -> Discard
Idle -> Paint(1) -> Paint(2) -> Paint(3) -> Discard  // no semicolons
