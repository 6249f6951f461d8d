#!/usr/bin/env python3
"""Turn a JMH JSON result file (java -jar benchmarks.jar -rf json -rff F) into the
side-by-side Markdown table of docs/benchmarks.md: one row per benchmark and parameter set
other than the runtime, one column per runtime."""
import json
import sys
from collections import OrderedDict


def figure(result):
    metric = result["primaryMetric"]
    unit = metric["scoreUnit"]
    mode = result["mode"]
    if mode == "sample":
        p = metric["scorePercentiles"]
        return f'{p["50.0"]:.1f} / {p["99.0"]:.1f} {unit} (p50 / p99)'
    if mode == "thrpt":
        return f'{metric["score"]:,.0f} {unit} ± {metric["scoreError"]:,.0f}'
    return f'{metric["score"]:.1f} {unit} ± {metric["scoreError"]:.1f}'


def main(path):
    rows = OrderedDict()
    runtimes = []
    for result in json.load(open(path)):
        params = dict(result.get("params", {}))
        runtime = params.pop("runtime", "—")
        if runtime not in runtimes:
            runtimes.append(runtime)
        name = result["benchmark"].rsplit(".", 2)
        key = name[-2] + "." + name[-1] + "".join(f" {k}={v}" for k, v in sorted(params.items()))
        rows.setdefault(key, {})[runtime] = figure(result)
    print("| benchmark | " + " | ".join(runtimes) + " |")
    print("|---|" + "---|" * len(runtimes))
    for key, by_runtime in rows.items():
        print(f"| `{key}` | " + " | ".join(by_runtime.get(r, "") for r in runtimes) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
