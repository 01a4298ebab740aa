#!/usr/bin/env python3
"""Kill Corridor with SIGKILL at random moments and check that nothing is lost or corrupt.

Three scenarios, taken in turn (issue 12, "a crash test"):

  ingest  `corridor ingest` of a scaled UCDP file in small batches, killed mid-import.
          Then: SQLite's integrity check; the store reopens and has the same indexes as a store
          that was never killed; the audit chain verifies; a re-run inserts exactly the rows the
          killed run had not committed and the count converges on the file's row count.
  serve   `corridor serve` while 4 clients file manual reports over HTTP, killed mid-write.
          Then: integrity; the audit chain verifies; the store serves again; every report the
          server acknowledged (201) is there, and every report there has its audit entry.
  sync    `corridor sync run` pulling a partner's collection page by page, killed mid-page.
          Then: integrity; the audit chain verifies; a re-run completes and the partner's objects
          are held exactly once each.

usage: tools/crash_loop.py [--rounds N] [--bin PATH] [--work DIR] [--scenarios ingest,serve,sync]
                           [--rows N] [--reports N] [--seed S] [--json FILE]

Exit status 0 when every round passed, 1 when one failed (named with its round, scenario and
check), 2 on a usage or setup error. CI runs 10 rounds (tests/security/CMakeLists.txt); the
100-round figures are in docs/reliability.md.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "a long enough password"


class CheckFailed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise CheckFailed(what)


class Corridor:
    def __init__(self, binary, work):
        self.binary = binary
        self.work = work

    def run(self, db, *args, stdin=None, token=None, ok=True, keys=None):
        env = dict(os.environ)
        env.pop("CORRIDOR_DB", None)
        if token:
            env["CORRIDOR_TOKEN"] = token
        cmd = [self.binary, "--db", db] + list(args)
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, cwd=self.work)
        if ok and p.returncode != 0:
            raise CheckFailed("%s exited %d: %s" % (" ".join(args[:3]), p.returncode, p.stderr.strip()[-400:]))
        return p

    def start(self, db, *args, log=None):
        out = open(log, "w") if log else subprocess.DEVNULL
        env = dict(os.environ)
        env.pop("CORRIDOR_DB", None)
        return subprocess.Popen([self.binary, "--db", db] + list(args), stdout=out,
                                stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
                                cwd=self.work, env=env)


def copy_store(src, dst):
    for suffix in ("", ".keys", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
        if os.path.exists(src + suffix):
            shutil.copy2(src + suffix, dst + suffix)


def integrity(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def index_names(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return sorted(r[0] for r in con.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%'"))
    finally:
        con.close()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_listening(log, port, proc, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise CheckFailed("serve exited %s: %s" % (proc.returncode, open(log).read()[-400:]))
        try:
            if ("127.0.0.1:%d/" % port) in open(log).read():
                return
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    raise CheckFailed("serve did not listen on %d" % port)


def kill_after(proc, seconds):
    """SIGKILL `proc` after `seconds`; True when it was killed, False when it had finished."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def last_line(text):
    return text.strip().splitlines()[-1].strip()


def request(port, method, path, token, body=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = "application/json"
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def make_account(c, db, user, org, role):
    c.run(db, "users", "add", user, "--org", org, "--role", role, stdin=PASSWORD + "\n")
    return last_line(c.run(db, "tokens", "create", user).stdout)


# ---- ingest -------------------------------------------------------------------------------------

class IngestScenario:
    name = "ingest"

    def __init__(self, c, work, rows, ucdp):
        self.c, self.work = c, work
        self.csv = os.path.join(work, "scaled.csv")
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "scale_ucdp.py"), ucdp, self.csv,
                        str(rows)], check=True, capture_output=True)
        self.base = os.path.join(work, "ingest-base.db")
        c.run(self.base, "init")
        ref = os.path.join(work, "ingest-ref.db")
        copy_store(self.base, ref)
        t0 = time.time()
        summary = json.loads(c.run(ref, "--json", "ingest", "--format", "ucdp-ged", "--batch-size",
                                   "2000", self.csv).stdout)
        self.seconds = time.time() - t0
        self.expected = int(c.run(ref, "query", "--count").stdout)
        check(self.expected == summary["inserted"], "reference import: count differs from inserted")
        self.indexes = index_names(ref)

    def round(self, rng, db):
        copy_store(self.base, db)
        proc = self.c.start(db, "ingest", "--format", "ucdp-ged", "--batch-size", "2000", self.csv)
        delay = rng.uniform(0.02, 0.95 * self.seconds)
        if not kill_after(proc, delay):
            return {"killed": False, "delay_s": delay}
        check(integrity(db) == "ok", "integrity_check after the kill")
        partial = int(self.c.run(db, "query", "--count").stdout)  # reopening restores the indexes
        check(index_names(db) == self.indexes,
              "indexes after reopening differ from a store never killed: %s" %
              sorted(set(self.indexes) ^ set(index_names(db))))
        self.c.run(db, "audit", "verify")
        summary = json.loads(self.c.run(db, "--json", "ingest", "--format", "ucdp-ged", self.csv).stdout)
        check(summary["unchanged"] == partial,
              "re-run: %d unchanged, %d were committed" % (summary["unchanged"], partial))
        check(summary["inserted"] == self.expected - partial, "re-run inserted %d, expected %d" %
              (summary["inserted"], self.expected - partial))
        final = int(self.c.run(db, "query", "--count").stdout)
        check(final == self.expected, "count %d after the re-run, expected %d" % (final, self.expected))
        return {"killed": True, "delay_s": delay, "committed_before_kill": partial}


# ---- serve --------------------------------------------------------------------------------------

class ServeScenario:
    name = "serve"

    def __init__(self, c, work):
        self.c, self.work = c, work
        self.base = os.path.join(work, "serve-base.db")
        c.run(self.base, "init")
        c.run(self.base, "orgs", "add", "PK-A", "--own")
        self.token = make_account(c, self.base, "writer", "PK-A", "analyst")

    def round(self, rng, db):
        copy_store(self.base, db)
        port = free_port()
        log = db + ".serve.log"
        proc = self.c.start(db, "serve", "--listen", "127.0.0.1:%d" % port, log=log)
        wait_listening(log, port, proc)
        acknowledged, errors, stop = [], [], threading.Event()

        def writer(k):
            i = 0
            while not stop.is_set():
                i += 1
                body = {"date_start": "2026-11-%02d" % (1 + i % 28), "category": "bombing",
                        "headline": "crash-loop report %d-%d" % (k, i), "latitude": 30.2,
                        "longitude": 67.0, "deaths_best": i % 5,
                        "marking": "TLP:AMBER" if i % 2 else "TLP:GREEN"}
                try:
                    status, data = request(port, "POST", "/api/v1/incidents", self.token, body)
                except (OSError, http.client.HTTPException):
                    return  # the server is gone (killed mid-response)
                if status == 201:
                    acknowledged.append(json.loads(data)["id"])
                elif status not in (429, 503):
                    errors.append("%d %s" % (status, data[:200]))

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        delay = rng.uniform(0.2, 2.5)
        killed = kill_after(proc, delay)
        stop.set()
        for t in threads:
            t.join()
        check(killed, "serve exited by itself: %s" % open(log).read()[-400:])
        check(not errors, "writes refused while serving: %s" % errors[:3])
        check(integrity(db) == "ok", "integrity_check after the kill")
        self.c.run(db, "audit", "verify")
        held = {i["id"] for i in json.loads(
            self.c.run(db, "query", "--dataset", "manual", "--format", "json", "--limit", "0",
                       token=self.token).stdout)}
        lost = [i for i in acknowledged if i not in held]
        check(not lost, "%d acknowledged reports lost, e.g. %s" % (len(lost), lost[:3]))
        audited = set()
        for e in json.loads(self.c.run(db, "--json", "audit", "list", "--action", "write").stdout):
            audited.update(e["objects"])
        unaudited = sorted(held - audited)
        check(not unaudited, "%d reports stored without an audit entry" % len(unaudited))
        # It serves again.
        port = free_port()
        proc = self.c.start(db, "serve", "--listen", "127.0.0.1:%d" % port, log=log)
        try:
            wait_listening(log, port, proc)
            status, data = request(port, "GET", "/api/v1/incidents?limit=1", self.token)
            check(status == 200, "after the restart: GET /api/v1/incidents → %d" % status)
        finally:
            proc.terminate()
            proc.wait()
        return {"killed": True, "delay_s": delay, "acknowledged": len(acknowledged),
                "held": len(held)}


# ---- sync ---------------------------------------------------------------------------------------

class SyncScenario:
    name = "sync"

    def __init__(self, c, work, reports):
        self.c, self.work = c, work
        a = self.a = os.path.join(work, "sync-a.db")
        c.run(a, "init")
        c.run(a, "orgs", "add", "PK-NACTA", "--own", "--trust-group", "bilateral")
        c.run(a, "orgs", "add", "CN-MPS", "--trust-group", "bilateral")
        partner_token = make_account(c, a, "sync-cn-mps", "CN-MPS", "partner")
        analyst = make_account(c, a, "ayesha", "PK-NACTA", "analyst")
        self.port = free_port()
        self.server = c.start(a, "serve", "--listen", "127.0.0.1:%d" % self.port, log=a + ".serve.log")
        wait_listening(a + ".serve.log", self.port, self.server)
        for i in range(reports):
            status, data = request(self.port, "POST", "/api/v1/incidents", analyst, {
                "date_start": "2026-10-%02d" % (1 + i % 28), "category": "armed-clash",
                "headline": "shared report %d" % i, "latitude": 25.1 + i * 1e-4, "longitude": 62.3,
                "marking": "TLP:CLEAR"})
            check(status == 201, "seeding A: %d %s" % (status, data[:200]))
        self.reports = reports
        a_key = json.loads(c.run(a, "--json", "keys", "show").stdout)["keys"][-1]["public_key"]
        b = self.base = os.path.join(work, "sync-b-base.db")
        c.run(b, "init")
        c.run(b, "orgs", "add", "CN-MPS", "--own", "--trust-group", "bilateral")
        c.run(b, "orgs", "add", "PK-NACTA", "--trust-group", "bilateral")
        c.run(b, "sync", "add-partner", "--name", "nacta", "--org", "PK-NACTA", "--url",
              "http://127.0.0.1:%d" % self.port, "--api-root", "bilateral", "--public-key", a_key,
              stdin=partner_token + "\n")
        ref = os.path.join(work, "sync-b-ref.db")
        copy_store(b, ref)
        t0 = time.time()
        c.run(ref, "sync", "run", "--page-limit", "40")
        self.seconds = time.time() - t0
        self.expected = int(c.run(ref, "query", "--count").stdout)
        check(self.expected == reports, "reference pull holds %d of %d" % (self.expected, reports))

    def close(self):
        self.server.terminate()
        self.server.wait()

    def round(self, rng, db):
        copy_store(self.base, db)
        proc = self.c.start(db, "sync", "run", "--page-limit", "40")
        delay = rng.uniform(0.02, 0.95 * self.seconds)
        if not kill_after(proc, delay):
            return {"killed": False, "delay_s": delay}
        check(integrity(db) == "ok", "integrity_check after the kill")
        partial = int(self.c.run(db, "query", "--count").stdout)
        self.c.run(db, "audit", "verify")
        report = json.loads(self.c.run(db, "--json", "sync", "run", "--page-limit", "40").stdout)[0]
        check(report["applied"] == self.expected - partial,
              "re-run applied %d, %d were missing" % (report["applied"], self.expected - partial))
        final = int(self.c.run(db, "query", "--count").stdout)
        check(final == self.expected, "B holds %d after the re-run, expected %d" % (final, self.expected))
        self.c.run(db, "audit", "verify")
        return {"killed": True, "delay_s": delay, "held_before_rerun": partial}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=100, help="kills in all (default 100)")
    ap.add_argument("--bin", default=os.environ.get("CORRIDOR_BIN", os.path.join(ROOT, "build", "corridor")))
    ap.add_argument("--work", help="work folder (default: a new temporary one, removed on success)")
    ap.add_argument("--scenarios", default="ingest,serve,sync")
    ap.add_argument("--rows", type=int, default=60000, help="rows of the scaled UCDP file (ingest)")
    ap.add_argument("--reports", type=int, default=400, help="partner objects to pull (sync)")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--json", help="write the per-round results here")
    ap.add_argument("--data", default=os.environ.get("CORRIDOR_DATA", os.path.join(ROOT, "..", "shared", "data")))
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        print("crash_loop: no corridor binary at %s (build it, or pass --bin)" % args.bin, file=sys.stderr)
        return 2
    ucdp = os.path.join(args.data, "ucdp-ged-pakistan", "pakistan.csv")
    if not os.path.exists(ucdp):
        found = [f for f in os.listdir(os.path.dirname(ucdp)) if f.endswith(".csv")] if os.path.isdir(os.path.dirname(ucdp)) else []
        if not found:
            print("crash_loop: no UCDP file under %s" % os.path.dirname(ucdp), file=sys.stderr)
            return 2
        ucdp = os.path.join(os.path.dirname(ucdp), found[0])
    work = args.work or tempfile.mkdtemp(prefix="corridor-crash-")
    os.makedirs(work, exist_ok=True)
    rng = random.Random(args.seed)
    c = Corridor(os.path.abspath(args.bin), work)
    names = [s for s in args.scenarios.split(",") if s]
    print("crash_loop: %d rounds of %s, seed %d, work %s" % (args.rounds, ",".join(names), args.seed, work),
          flush=True)
    scenarios = []
    try:
        for n in names:
            t0 = time.time()
            if n == "ingest":
                scenarios.append(IngestScenario(c, work, args.rows, ucdp))
            elif n == "serve":
                scenarios.append(ServeScenario(c, work))
            elif n == "sync":
                scenarios.append(SyncScenario(c, work, args.reports))
            else:
                print("crash_loop: unknown scenario %r (ingest, serve, sync)" % n, file=sys.stderr)
                return 2
            print("  set up %s in %.1f s" % (n, time.time() - t0), flush=True)
    except CheckFailed as e:
        print("crash_loop: setup failed: %s" % e, file=sys.stderr)
        return 2
    results, failures = [], []
    try:
        for r in range(args.rounds):
            s = scenarios[r % len(scenarios)]
            db = os.path.join(work, "round.db")
            t0 = time.time()
            try:
                out = s.round(rng, db)
                out.update({"round": r + 1, "scenario": s.name, "ok": True})
                # A run that finished before its kill is retried once with an earlier moment.
                if not out["killed"]:
                    out = s.round(random.Random(rng.random()), db)
                    out.update({"round": r + 1, "scenario": s.name, "ok": True})
            except CheckFailed as e:
                out = {"round": r + 1, "scenario": s.name, "ok": False, "failure": str(e)}
                failures.append(out)
                keep = os.path.join(work, "failed-round-%d.db" % (r + 1))
                copy_store(db, keep)
                out["kept"] = keep
            out["seconds"] = round(time.time() - t0, 2)
            results.append(out)
            detail = out.get("failure") or ", ".join(
                "%s %s" % (k, (round(v, 2) if isinstance(v, float) else v)) for k, v in out.items()
                if k not in ("round", "scenario", "ok", "seconds"))
            print("  round %3d/%d %-6s %s  %s" % (r + 1, args.rounds, s.name,
                                                 "ok  " if out["ok"] else "FAIL", detail), flush=True)
    finally:
        for s in scenarios:
            if hasattr(s, "close"):
                s.close()
    summary = {"rounds": len(results), "seed": args.seed, "failures": len(failures), "by_scenario": {}}
    for n in names:
        rs = [x for x in results if x["scenario"] == n]
        summary["by_scenario"][n] = {
            "rounds": len(rs), "killed": sum(1 for x in rs if x.get("killed")),
            "passed": sum(1 for x in rs if x["ok"]),
        }
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"summary": summary, "rounds": results}, f, indent=1)
    print("crash_loop: %s" % json.dumps(summary))
    if failures:
        print("crash_loop: %d rounds FAILED; stores kept under %s" % (len(failures), work), file=sys.stderr)
        return 1
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
