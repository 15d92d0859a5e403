// compound parameters, overloads, `...`, define and $VAR
define($COLOR 7, $LIMIT 3, $LEN 14);
elementclass P1 { $c | input -> Paint($c) -> output }
elementclass PK { $c, KEY $len | input -> Paint($c) -> Strip($len) -> output }
elementclass PR { $c, __REST__ $r | input -> Paint($c) -> Print($r) -> output }
Idle -> P1($COLOR) -> PK(2, KEY $LEN) -> pr :: PR(3, hello, MAXLENGTH 10) -> Discard;
Idle -> PR(4) -> Discard;
elementclass Over { $a | input -> Paint($a) -> output
                 || $a, $b | input -> Paint($a) -> Paint($b) -> output
                 || $a | input -> Paint($a) -> output; input [1] -> Discard }
Idle -> Over(1) -> Discard; Idle -> o2 :: Over(1, 2) -> Discard;
Idle -> o3 :: Over(5) -> Discard; Idle -> [1] o3;
elementclass Paint { $a, $b | input -> Paint($a) -> Paint($b) -> output || ... }
Idle -> Paint(8, 9) -> Paint(10) -> Discard;
InfiniteSource(LIMIT $LIMIT) -> Print(${TAG-untagged}$COLOR$COLOR) -> Discard;
Idle -> Print("$COLOR in quotes, ${LEN}") -> Discard;
elementclass Outer { $x | input -> P1($x) -> output }
Idle -> Outer($LIMIT) -> Discard
