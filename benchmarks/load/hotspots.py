#!/usr/bin/env python3
"""Where the CPU went in a JFR recording of run.sh (JFR=1): execution samples by thread
group, by the method on top of the stack (self) and by each method on the stack (total).

Usage: python3 benchmarks/load/hotspots.py benchmarks/load/results/<label>-<runtime>.jfr [filter]
The optional filter keeps only samples with a frame containing it (e.g. WasmTool).
"""
import collections
import re
import subprocess
import sys

FRAME = re.compile(r"^\s+(\S+?)\(.*\)\s+line:")
THREAD = re.compile(r'sampledThread = "([^"]*)"')


def samples(path):
    command = ["jfr", "print", "--stack-depth", "128", "--events", "jdk.ExecutionSample", path]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as jfr:
        thread, frames = None, []
        for line in jfr.stdout:
            match = THREAD.search(line)
            if match:
                thread = match.group(1)
                continue
            match = FRAME.match(line)
            if match:
                frames.append(match.group(1))
            elif line.startswith("}"):
                yield thread or "?", frames
                thread, frames = None, []


def group(thread):
    return re.sub(r"[-#]?\d+$", "", thread)


def main(path, keep=None):
    threads, self_time, total_time = collections.Counter(), collections.Counter(), collections.Counter()
    count = 0
    for thread, frames in samples(path):
        if not frames or (keep and not any(keep in frame for frame in frames)):
            continue
        count += 1
        threads[group(thread)] += 1
        self_time[frames[0]] += 1
        for frame in set(frames):
            total_time[frame] += 1
    print(f"{count} samples" + (f" with a frame containing '{keep}'" if keep else ""))
    for title, counter, limit in (("threads", threads, 12), ("self", self_time, 30), ("total", total_time, 60)):
        print(f"\n## {title}")
        for name, n in counter.most_common(limit):
            print(f"{100 * n / count:5.1f}%  {name}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
