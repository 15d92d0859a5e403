// ports, port lists, many-to-one, one-to-many, '=>'
t :: Tee(3);
Idle -> t;
t [0] -> d0 :: Discard;
t[1]->[0]d1 :: Discard;
t [2] -> Queue -> [0] u :: Unqueue -> Discard;
Idle, Idle, Idle -> j :: Null -> Discard;
s :: PaintSwitch; Idle -> s;
s [0, 1, 2] => Discard, Discard, [0] Discard;
x, y :: Null; Idle -> x; Idle -> y;
x, y => Discard, Discard;
Idle -> cl :: Classifier(12/0800, 12/0806, -)
cl [0, 1] => Discard, Discard; cl[2] -> Discard;
Idle -> Paint(1) -> Discard; Idle -> Paint(1) -> Discard
