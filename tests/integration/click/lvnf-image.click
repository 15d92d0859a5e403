// an EmPOWER-style image body (in_0/out_0 are the runtime's port elements),
// here with stand-ins so that Click can initialize it
in_0 :: Idle; out_0 :: Discard; in_1 :: Idle; out_1 :: Discard;
in_0 -> c :: Counter -> CheckIPHeader(14) -> f :: IPFilter(allow tcp dst port 80, deny all)
  -> VLANEncap(VLAN_ID 42, VLAN_PCP 0) -> out_0;
in_1 -> VLANDecap -> EtherRewrite(00:00:00:00:00:01, 00:00:00:00:00:02) -> out_1;
