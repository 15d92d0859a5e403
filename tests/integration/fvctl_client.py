#!/usr/bin/env python3
"""fvctl_client.py - a client that sends exactly what FlowVisor 1.x's fvctl
sends (a JSON-RPC 2.0 POST to https://HOST:PORT with {"id": "fvctl",
"method", "jsonrpc": "2.0", "params" only when given}, HTTP basic auth as
fvadmin through a password manager, so credentials go only after a 401
challenge), for the tests of nfpd's --fv-api. fvctl itself is Python 2 and
not ours to ship; this speaks its protocol byte for byte.

usage: fvctl_client.py URL PASSWD_FILE CAFILE METHOD [PARAMS_JSON]
Prints the result as JSON (exit 0), or "ERROR code message" (exit 1), or
"HTTP status" for an HTTP-level failure (exit 2).
"""
import json
import ssl
import sys
import urllib.error
import urllib.request


def main():
    url, passwd_file, cafile, method = sys.argv[1:5]
    params = json.loads(sys.argv[5]) if len(sys.argv) > 5 else None
    with open(passwd_file) as f:
        passwd = f.read().strip()
    user = "fvadmin"
    if passwd.startswith("user="):  # tests of a wrong user name
        user, passwd = passwd[5:].split(":", 1)
    passman = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passman.add_password(None, url, user, passwd)
    ctx = ssl.create_default_context(cafile=cafile)
    opener = urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(passman),
        urllib.request.HTTPSHandler(context=ctx))
    req = {"id": "fvctl", "method": method, "jsonrpc": "2.0"}
    if params is not None:
        req["params"] = params
    r = urllib.request.Request(url, json.dumps(req).encode(),
                               {"Content-Type": "application/json"})
    try:
        body = opener.open(r, timeout=10).read()
    except urllib.error.HTTPError as e:
        print("HTTP %d %s" % (e.code, e.headers.get("WWW-Authenticate", "")))
        return 2
    j = json.loads(body)
    if j.get("id") != "fvctl" or j.get("jsonrpc") != "2.0":
        print("BAD-ENVELOPE %s" % body.decode())
        return 3
    if "error" in j:
        print("ERROR %d %s" % (j["error"]["code"], j["error"]["message"]))
        return 1
    print(json.dumps(j["result"], sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
