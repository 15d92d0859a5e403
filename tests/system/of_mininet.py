#!/usr/bin/python3
"""of_mininet.py - the Mininet side of test_openflow_mininet.sh.

Builds a linear topology of OVS userspace switches (no kernel module
needed) pointed at a remote controller, then obeys commands read line by
line on stdin and answers each with one line on stdout:

    pingall              -> "PINGALL <percent dropped>"
    reach                -> "REACH 1>2:y 1>3:n ..." (one ping each way per pair)
    flows <switch>       -> "FLOWS <n> <flow> | <flow> ..." (ovs-ofctl dump-flows)
    quit                 -> stops the network and exits

Names carry the test's tag so parallel runs never share a bridge, an
interface or a DPID; the DPIDs are 1..N so the shell side can name them.
Run with Debian's /usr/bin/python3 (Mininet lives there).
"""
import argparse
import subprocess
import sys

from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.node import OVSSwitch
from mininet.topo import Topo


class TaggedLinear(Topo):
    def build(self, n, tag):
        prev = None
        for i in range(1, n + 1):
            s = self.addSwitch('%ss%d' % (tag, i), dpid='%016x' % i,
                               protocols=self.protocols, datapath='user')
            h = self.addHost('%sh%d' % (tag, i), ip='10.0.0.%d/24' % i,
                             mac='02:00:00:00:00:%02x' % i)
            self.addLink(h, s)
            if prev:
                self.addLink(prev, s)
            prev = s


class NfpdController:
    """nfpd as the switches' controller, without a Mininet node. A node
    gets a shell of its own, and Mininet's shell start-up can deadlock
    (seen: the driver and the controller node's bash both blocked reading
    the pty, in about one start in twenty): the switches only need the
    controller's address."""
    name = 'c0'
    protocol = 'tcp'

    def __init__(self, ip, port):
        self.ip, self.port = ip, port

    def IP(self):
        return self.ip

    def start(self):
        pass

    def stop(self):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tag', required=True)
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--protocols', default='OpenFlow10')
    ap.add_argument('-n', type=int, default=3)
    a = ap.parse_args()
    setLogLevel('warning')
    TaggedLinear.protocols = a.protocols
    topo = TaggedLinear(n=a.n, tag=a.tag)
    net = Mininet(topo=topo, switch=OVSSwitch, build=False, autoSetMacs=False,
                  controller=None)
    net.controllers.append(NfpdController('127.0.0.1', a.port))
    try:
        net.build()
        net.start()
        print('READY', flush=True)
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            if words[0] == 'pingall':
                # timeout 1 s per ping: a lost first packet must not hang us
                loss = net.pingAll(timeout='1')
                print('PINGALL %d' % int(loss), flush=True)
            elif words[0] == 'reach':
                hosts = [net.get('%sh%d' % (a.tag, i)) for i in range(1, a.n + 1)]
                pairs = []
                for i, src in enumerate(hosts, 1):
                    for j, dst in enumerate(hosts, 1):
                        if i != j:
                            out = src.cmd('ping -c 1 -W 1 %s >/dev/null 2>&1; echo $?' %
                                          dst.IP()).strip()
                            pairs.append('%d>%d:%s' % (i, j, 'y' if out.endswith('0') else 'n'))
                print('REACH %s' % ' '.join(pairs), flush=True)
            elif words[0] == 'flows':
                out = subprocess.run(['ovs-ofctl', '-O', a.protocols, 'dump-flows',
                                      a.tag + words[1]], capture_output=True, text=True)
                lines = [l.strip() for l in out.stdout.splitlines() if 'actions=' in l]
                print('FLOWS %d %s' % (len(lines), ' | '.join(lines)), flush=True)
            elif words[0] == 'quit':
                break
            else:
                print('ERROR unknown command %s' % words[0], flush=True)
    finally:
        net.stop()


if __name__ == '__main__':
    main()
