#!/usr/bin/env python3
"""Generates the golden candle cases (input.jsonl, config.json, expected.csv) in this folder.

expected.csv comes from the small, independent reference model below (plain dicts, written from the
rules in pipeline/processing/candle_builder.h, not from the C++ code). The hand_computed case is NOT
generated: its expected.csv was worked out by hand (see hand_computed/README.md); this script only
checks that the reference model agrees with it.

Run: python3 tests/data/candles/make_cases.py   (deterministic: fixed seeds)
"""
import csv, json, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = 1700000000000 - (1700000000000 % 3600000)  # 2023-11-14 22:00:00 UTC, an hour boundary


def reference(ticks, cfg):
    """Returns ({key: candle dict}, dropped_per_interval, dropped_ticks)."""
    ivs = [i * 1000 for i in cfg["intervals"]]
    lat, idle = cfg.get("lateness_ms", 10000), cfg.get("idle_close_ms", 3600000)
    sym_max, gmax = {}, None
    buckets = {}  # (asset, sym, cur, iv) -> {start: candle}
    final = {}
    dropped = [0] * len(ivs)
    dropped_ticks = 0

    def wm(key):
        own = sym_max[key] - lat if key in sym_max else None
        glob = gmax - idle if (gmax is not None and idle > 0) else None
        vals = [v for v in (own, glob) if v is not None]
        return max(vals) if vals else None

    for t in ticks:
        key = (t["asset"], t["symbol"], t["currency"])
        w = wm(key)
        merged = False
        any_drop = False
        for n, iv in enumerate(ivs):
            start = t["ts"] // iv * iv
            if w is not None and start + iv <= w:
                dropped[n] += 1
                any_drop = True
                continue
            merged = True
            b = buckets.setdefault(key + (iv,), {})
            c = b.get(start)
            p, v = t["price"], t["volume"]
            if c is None:
                b[start] = dict(open=p, high=p, low=p, close=p, volume=v, spv=p * v, sp=p, trades=1,
                                first=t["ts"], last=t["ts"])
            else:
                if t["ts"] < c["first"]:
                    c["first"], c["open"] = t["ts"], p
                if t["ts"] >= c["last"]:
                    c["last"], c["close"] = t["ts"], p
                c["high"], c["low"] = max(c["high"], p), min(c["low"], p)
                c["volume"] += v
                c["spv"] += p * v
                c["sp"] += p
                c["trades"] += 1
        dropped_ticks += any_drop
        if merged:
            sym_max[key] = max(sym_max.get(key, t["ts"]), t["ts"])
            gmax = t["ts"] if gmax is None else max(gmax, t["ts"])
    out = {}
    for (asset, sym, cur, iv), b in buckets.items():
        w = wm((asset, sym, cur))
        for start, c in b.items():
            vwap = c["spv"] / c["volume"] if c["volume"] > 0 else c["sp"] / c["trades"]
            out[(asset, sym, cur, iv // 1000, start)] = dict(
                c, vwap=vwap, final=(w is not None and start + iv <= w))
    return out, dropped, dropped_ticks


def tick(sym, price, vol, ts, i, asset="crypto", cur="USD", kind="trade", source="simulator"):
    return {"asset": asset, "symbol": sym, "currency": cur, "price": price, "volume": vol, "ts": ts,
            "id": f"t{i}", "kind": kind, "source": source}


def write_case(name, ticks, cfg, check_only=False):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    out, dropped, dropped_ticks = reference(ticks, cfg)
    cfg = dict(cfg, expected_dropped_per_interval=dropped, expected_dropped_ticks=dropped_ticks)
    rows = [["asset", "symbol", "currency", "interval_s", "bucket_start_ms", "open", "high", "low",
             "close", "volume", "vwap", "trades", "first_ts_ms", "last_ts_ms", "final"]]
    for k in sorted(out):
        c = out[k]
        rows.append(list(k) + [repr(c["open"]), repr(c["high"]), repr(c["low"]), repr(c["close"]),
                               repr(c["volume"]), repr(c["vwap"]), c["trades"], c["first"], c["last"],
                               "true" if c["final"] else "false"])
    if check_only:
        return rows, cfg
    with open(os.path.join(d, "input.jsonl"), "w") as f:
        for t in ticks:
            rec = {"v": 1, "source": t["source"], "kind": t["kind"], "symbol": t["symbol"],
                   "currency": t["currency"], "price": t["price"], "volume": t["volume"],
                   "ts": t["ts"], "id": t["id"]}
            if t["asset"] != "crypto":
                rec["asset"] = t["asset"]  # test-only field: the topic gives it on the wire
            f.write(json.dumps(rec) + "\n")
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
        f.write("\n")
    with open(os.path.join(d, "expected.csv"), "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def walk(rng, syms, n, start, step_ms):
    """n ticks, sorted by time, random walk prices, unique timestamps."""
    prices = {s: p for s, p, *_ in syms}
    ticks, ts = [], start
    for i in range(n):
        ts += rng.randint(1, step_ms)
        s, _, asset, cur = syms[rng.randrange(len(syms))]
        prices[s] = round(prices[s] * (1 + rng.uniform(-0.002, 0.002)), 2)
        ticks.append(tick(s, prices[s], round(rng.uniform(0.001, 2.0), 4), ts, i, asset, cur))
    return ticks


def shuffle_within(rng, ticks, max_shift_ms):
    """Reorders ticks so each arrives at most max_shift_ms (event time) after a later-stamped one."""
    keyed = [(t["ts"] + rng.uniform(0, max_shift_ms), n, t) for n, t in enumerate(ticks)]
    keyed.sort(key=lambda x: (x[0], x[1]))
    return [t for _, _, t in keyed]


def main():
    rng = random.Random(20261124)
    two = [("BTC", 43000.0, "crypto", "USD"), ("ETH", 2300.0, "crypto", "USD")]
    base = {"intervals": [1, 60, 300, 3600], "lateness_ms": 10000, "idle_close_ms": 3600000}

    sorted_ticks = walk(rng, two, 400, T0 + 1234, 900)
    write_case("sorted", sorted_ticks, base)
    shuffled = shuffle_within(rng, sorted_ticks, 9000)  # each tick < 9 s behind the max seen
    write_case("shuffled_within_lateness", shuffled, base)

    late = walk(rng, two, 300, T0 + 500, 700)
    late = late[:]
    # Re-deliver eight early ticks (new ids) after the watermark has passed them by > 10 s.
    for n, i in enumerate(range(5, 45, 5)):
        t = dict(late[i], id=f"late{n}")
        late.insert(150 + n * 3, t)
    write_case("late_beyond_lateness", late, base)

    multi = [("BTC", 43000.0, "crypto", "USD"), ("BTC", 39500.0, "crypto", "EUR"),
             ("ETH", 2300.0, "crypto", "USD"), ("AAPL", 190.0, "stock", "USD")]
    mt = walk(rng, [(s, p, a, c) for s, p, a, c in multi], 500, T0 + 3599000 - 120000, 500)
    # walk() keys prices by symbol only: give each (symbol, currency) its own path instead.
    mt2, prices = [], {(s, c): p for s, p, a, c in multi}
    for t in mt:
        k = (t["symbol"], t["currency"])
        prices[k] = round(prices[k] * (1 + rng.uniform(-0.002, 0.002)), 2)
        mt2.append(dict(t, price=prices[k]))
    write_case("several_symbols_currencies", shuffle_within(rng, mt2, 5000), base)

    edges_cfg = {"intervals": [1, 60], "lateness_ms": 2000, "idle_close_ms": 0}
    e = []
    for n, ts in enumerate([T0, T0 + 999, T0 + 1000, T0 + 59999, T0 + 60000, T0 + 60001, T0 + 119999,
                            T0 + 120000, T0 + 122000, T0 + 121999]):
        e.append(tick("BTC", 100.0 + n, 1.0 + n, ts, n))
    write_case("window_edges", e, edges_cfg)

    zv_cfg = {"intervals": [60], "lateness_ms": 10000, "idle_close_ms": 0}
    z = [tick("AAPL", 190.0, 0, T0 + 1000, 0, "stock", kind="quote", source="finnhub"),
         tick("AAPL", 191.0, 0, T0 + 2000, 1, "stock", kind="quote", source="finnhub"),
         tick("AAPL", 193.0, 0, T0 + 3000, 2, "stock", kind="quote", source="finnhub"),
         # next minute: quotes then trades with volume: VWAP ignores the zero-volume quotes
         tick("AAPL", 194.0, 0, T0 + 61000, 3, "stock", kind="quote", source="finnhub"),
         tick("AAPL", 195.0, 10, T0 + 62000, 4, "stock"),
         tick("AAPL", 196.0, 30, T0 + 63000, 5, "stock"),
         tick("AAPL", 180.0, 0, T0 + 64000, 6, "stock", kind="quote", source="finnhub"),
         tick("AAPL", 197.0, 0, T0 + 125000, 7, "stock", kind="quote", source="finnhub")]
    write_case("zero_volume_quotes", z, zv_cfg)

    gap = walk(rng, two[:1], 30, T0 + 100, 2000)
    gap_t = gap[-1]["ts"]
    gap += [dict(t, ts=t["ts"] + gap_t + 2 * 3600000 + 777, id=f"g{n}")
            for n, t in enumerate(walk(rng, two[:1], 30, 0, 2000))]
    gap.append(dict(gap[3], id="after_gap_late"))  # its buckets are all final by now: dropped for all
    write_case("long_gap", gap, base)

    # hand_computed: only verified against the reference model, never rewritten.
    d = os.path.join(HERE, "hand_computed")
    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    ticks = []
    with open(os.path.join(d, "input.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            ticks.append(dict(r, asset=r.get("asset", "crypto")))
    rows, _ = write_case("hand_computed", ticks, cfg, check_only=True)
    with open(os.path.join(d, "expected.csv")) as f:
        hand = list(csv.reader(f))
    ref = {tuple(str(x) for x in r[:5]): [str(x) for x in r] for r in rows[1:]}
    for r in hand[1:]:
        m = ref[tuple(r[:5])]
        assert all(abs(float(a) - float(b)) < 1e-9 for a, b in zip(r[5:14], m[5:14])), (r, m)
        assert r[14] == m[14], (r, m)
    assert len(ref) == len(hand) - 1
    print("hand_computed agrees with the reference model")


if __name__ == "__main__":
    main()
