#!/usr/bin/env python3
"""Turn the JSON lines of benchmarks/load/run.sh into the Markdown tables of docs/benchmarks.md.

Usage: python3 benchmarks/load/summarize.py benchmarks/load/results/<label>.jsonl
"""
import json
import sys


def ms(us):
    return f"{us / 1000:.1f}"


def main(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    print("| runtime | clients | tool | answered ok/s | busy results | other errors | non-200 / socket errors / timeouts"
          " | p50 / p99 ms | load average |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        if row["run"] not in ("load", "flood"):
            continue
        r = row["result"]
        seconds = r["duration_us"] / 1e6
        print(f"| {row['runtime']} | {row['clients']} | {row['tool']} | {r['ok'] / seconds:,.0f} | {r['busy']:,}"
              f" | {r['failed']:,} | {r['non200']} / {r['socket_errors']} / {r['timeouts']}"
              f" | {ms(r['p50_us'])} / {ms(r['p99_us'])} | {row['load_average']} |")
    print()
    print("| runtime | first answer after `java -jar` | idle RSS | RSS before / after the flood / after a full GC"
          " | other plugin's p99 alone / beside the flood (its busy results beside it) |")
    print("|---|---|---|---|---|")
    for runtime in dict.fromkeys(row["runtime"] for row in rows):
        of = {row["run"]: row for row in rows if row["runtime"] == runtime}
        idle, memory = of.get("idle"), of.get("memory")
        alone, beside = of.get("probe-alone"), of.get("probe-beside-flood")
        start = f"{idle['first_answer_ms'] / 1000:.1f} s" if idle else "—"
        rss = f"{idle['rss_kb'] / 1024:.0f} MB" if idle else "—"
        mem = (f"{memory['rss_before_kb'] / 1024:.0f} / {memory['rss_after_kb'] / 1024:.0f}"
               f" / {memory['rss_after_gc_kb'] / 1024:.0f} MB") if memory else "—"
        probe = (f"{ms(alone['result']['p99_us'])} / {ms(beside['result']['p99_us'])} ms"
                 f" ({beside['result']['busy']:,})" if alone and beside else "—")
        print(f"| {runtime} | {start} | {rss} | {mem} | {probe} |")


if __name__ == "__main__":
    main(sys.argv[1])
