# bench/lib/machine.sh - sourced by bench/*/run.sh: bench_machine prints, as
# '#' lines, what a machine's figures depend on besides nfplane's code, so
# figures from two machines can be told apart: the CPU and kernel, the
# load, the speculation mitigations (each non-inlined BPF helper call pays
# for its indirect call and its return: a retpoline, SRSO's "safe RET"),
# and the BPF settings that add work to every program run.
bench_machine() {
	local v f
	echo "# machine: kernel $(uname -r), $(nproc) CPUs," \
		"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
		"clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)"
	echo "# load average $(cut -d' ' -f1-3 /proc/loadavg) at start (other load makes the figures noisy)"
	v=
	for f in spectre_v2 spec_rstack_overflow retbleed; do
		[ -r "/sys/devices/system/cpu/vulnerabilities/$f" ] &&
			v+="$f: $(cat "/sys/devices/system/cpu/vulnerabilities/$f"); "
	done
	echo "# mitigations: ${v:-unknown}"
	# bpf_stats_enabled=1 reads the clock twice around every program run;
	# bpf_jit_harden=2 blinds every constant of root's programs too
	echo "# bpf: jit_enable $(cat /proc/sys/net/core/bpf_jit_enable 2>/dev/null)," \
		"jit_harden $(cat /proc/sys/net/core/bpf_jit_harden 2>/dev/null)," \
		"stats_enabled $(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)"
}
