#!/usr/bin/python3
"""Parses Prometheus text exposition (stdin) with the reference client's parser (Debian's
python3-prometheus-client) and prints it as JSON: {"families": [{"name", "type", "samples":
[{"name", "labels", "value"}]}]}. Exits non-zero, with the parser's message, on malformed input."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families

families = []
for f in text_string_to_metric_families(sys.stdin.read()):
    samples = []
    for s in f.samples:
        v = s.value
        samples.append({"name": s.name, "labels": s.labels,
                        "value": None if math.isnan(v) else ("+Inf" if math.isinf(v) else v)})
    families.append({"name": f.name, "type": f.type, "samples": samples})
json.dump({"families": families}, sys.stdout)
