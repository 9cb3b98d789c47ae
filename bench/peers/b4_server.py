"""b4 am in a running Python process, for bench:peers.

b4 has no long-running form, so its whole process (Python start, imports)
is what a reviewer pays.  To compare its work alone with PatchLens in
process, this keeps one Python process with b4 imported and runs
`b4 am -C -m FILE -o OUT -n NAME` on request, timing only the call.

Protocol (one line each way): FILE<TAB>OUT<TAB>NAME in, WALL_MS<TAB>CPU_MS<TAB>EXIT out.
Run with the interpreter of /usr/bin/b4, the hermetic environment of
bench:peers (empty HOME, identity, b4.attestation-policy=off).
"""
import logging
import os
import sys
import time

import b4
import b4.command

logging.getLogger('b4').setLevel(logging.CRITICAL)
parser = b4.command.setup_parser()
# Requests come on a private copy of fd 0; b4 itself gets /dev/null as its
# standard input, as `b4 am` spawned with no input has (b4 am reads a
# non-tty stdin to its end, which would swallow the next request).
requests = os.fdopen(os.dup(0), 'r')
os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
sys.stdin = open(os.devnull, 'r')
replies = sys.stdout
devnull = open(os.devnull, 'w')

for request in requests:
    file, out, name = request.rstrip('\n').split('\t')
    args = parser.parse_args(['am', '-C', '-m', file, '-o', out, '-n', name])
    status = 0
    sys.stdout = devnull
    wall = time.perf_counter()
    cpu = time.process_time()
    try:
        args.func(args)
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else 1
    except Exception:  # b4 0.12 raises ValueError on some folded headers
        status = 1
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    sys.stdout = replies
    replies.write(f'{wall * 1000:.3f}\t{cpu * 1000:.3f}\t{status}\n')
    replies.flush()
