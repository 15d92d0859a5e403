#!/usr/bin/env bash
# test_click_lang.sh - the Click language front end against the real Click
# 2.1 driver: every script of tests/integration/click/ flattens to the very
# graph `click -q -o` writes (names, classes, configs, connections), what
# nfp-click-flatten prints is a script Click accepts and runs the same way,
# and the scripts Click refuses are refused here, with a line and a column.
source "$(dirname "$0")/../lib.sh"

FLATTEN=$NFP_BUILD/nfp-click-flatten
CORPUS=$NFP_ROOT/tests/integration/click

need_click() {
	CLICK=$(find_click) || { skip "no Click driver (set NFP_CLICK)"; return 77; }
}

# ours SCRIPT [DEFINES...] / theirs SCRIPT [DEFINES...]: the canonical graph
ours() { "$FLATTEN" --canonical "$@"; }
theirs() {
	local f=$1 out=$TMP/click-flat.click
	shift
	rm -f "$out"
	"$CLICK" -q -o "$out" -f "$f" "$@" 2>"$TMP/click.err" ||
		fail "Click refuses $f: $(cat "$TMP/click.err")"
	"$FLATTEN" --canonical "$out"
}

test_flattening_is_clicks() {
	need_click || return 77
	local f n=0
	for f in "$CORPUS"/*.click; do
		ours "$f" >"$TMP/ours" || fail "$f does not parse"
		theirs "$f" >"$TMP/theirs"
		diff -u "$TMP/theirs" "$TMP/ours" >"$TMP/diff" ||
			fail "$(basename "$f"): not Click's graph (- Click, + ours):" "$(cat "$TMP/diff")"
		n=$((n + 1))
	done
	assert_ge "$n" 5 "scripts compared"
}

test_command_line_defines_are_clicks() {
	need_click || return 77
	ours "$CORPUS/parameters.click" COLOR=3 TAG=t >"$TMP/ours"
	theirs "$CORPUS/parameters.click" COLOR=3 TAG=t >"$TMP/theirs"
	diff -u "$TMP/theirs" "$TMP/ours" || fail "defines given on the command line differ"
	assert_contains "$(cat "$TMP/ours")" "P1@2/Paint@1 :: Paint(3)"
}

test_printed_script_runs_in_click() {
	need_click || return 77
	local f
	for f in "$CORPUS"/*.click; do
		"$FLATTEN" "$f" >"$TMP/printed.click"
		"$CLICK" -q -f "$TMP/printed.click" 2>"$TMP/click.err" ||
			fail "Click refuses what we print for $(basename "$f"):" "$(cat "$TMP/click.err")"
		ours "$TMP/printed.click" >"$TMP/again"
		ours "$f" >"$TMP/ours"
		diff -u "$TMP/ours" "$TMP/again" || fail "$(basename "$f"): print -> parse changes the graph"
	done
	# and runs it: the same packets through the same counters
	cat >"$TMP/count.click" <<'CLICK'
elementclass Count2 { $lim | input -> a :: Counter -> b :: Counter -> output }
InfiniteSource(LIMIT 7, STOP true) -> c :: Count2(7) -> Discard
CLICK
	"$FLATTEN" "$TMP/count.click" >"$TMP/count-flat.click"
	assert_eq "$("$CLICK" -f "$TMP/count.click" -h c/b.count 2>/dev/null)" 7 "original's c/b.count"
	assert_eq "$("$CLICK" -f "$TMP/count-flat.click" -h c/b.count 2>/dev/null)" 7 "printed's c/b.count"
}

# EXPR ## LINE:COL ## what our message says: Click refuses each one too
refused='Idle -> ; ## 1:9 ## expected an element
Idle -> Print(unclosed -> Discard ## 1:14 ## configuration string never ends
x :: Idle; x :: Discard; x -> x ## 1:12 ## redeclaration of element '"'x'"'
a, b :: Idle; c, d :: Discard; a, b -> c, d ## 1:37 ## many-to-many connections need
elementclass F { $a | input -> Paint($a) -> output }; Idle -> F -> Discard ## 1:63 ## no alternative of
elementclass F { input -> Null -> output; input[1] -> Discard }; Idle -> [1]F -> Discard ## 1:77 ## input 0 unused
Idle -> Null ] -> Discard ## 1:14 ## got '"']'"'
Idle -> { input -> Null -> output ## 1:9 ## never closed
define(X 5) ## 1:1 ## does not start with a $VARIABLE
Idle -> [x] Discard ## 1:10 ## not a port number
elementclass F { $a, $a | input -> output } ## 1:22 ## given twice
elementclass F { KEY $k, $a | input -> output } ## 1:26 ## after a keyword one
Idle -> Discard } ## 1:17 ## expected a statement
Idle -> Discard; % ## 1:18 ## unexpected character
elementclass F { input -> output; output -> Discard } ## 1:35 ## has no outputs'

test_what_click_refuses_is_refused_with_its_place() {
	need_click || return 77
	local line expr place what out
	while IFS= read -r line; do
		expr=${line%% ## *}
		place=${line#* ## }
		place=${place%% ## *}
		what=${line##* ## }
		if "$CLICK" -q -e "$expr" >/dev/null 2>&1; then
			fail "Click accepts '$expr': the table is wrong"
		fi
		out=$("$FLATTEN" -e "$expr" 2>&1 >/dev/null) && fail "we accept '$expr'"
		assert_contains "$out" "expression:$place: " "error for '$expr'"
		assert_contains "$out" "$what" "error for '$expr'"
	done <<<"$refused"
}

run_tests "$@"
