"""`make bench`: seed national scale, measure every part, write docs/PERFORMANCE.md and print a summary.

Run through scripts/bench.sh (a throwaway PostgreSQL server, DATABASE_URL and DJANGO_SECRET_KEY set). Each part
returns {"titel", "rijen": [{column: value}], "doelen": [{"naam", "waarde", "doel", "gehaald"}],
"opmerkingen": [str]}; a part whose module is not there is skipped with a message.
"""

import argparse
import datetime
import importlib
import os
import platform
import re
import subprocess
import sys
import time
import traceback
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "PERFORMANCE.md"
BEGIN, EINDE = "<!-- bench:begin -->", "<!-- bench:end -->"
DELEN = ("pages", "pdf", "laden", "belasting")
WACHTWOORD = "Bench-Landelijk-Zaaisel-2026"
GEBRUIKERS = 100  # the load test's virtual users
DENKTIJD_S = 3.0  # the load test's mean pause between a user's actions (each drawn between half and 1.5 times it)
VLOER_PAD = "/"  # the floor of the run without pauses: the home page, for a logged-in user rendered per request


def _opties(argv):
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--snel", action="store_true",
                        help="Rooktest: 10 verzoeken per pagina, 1 PDF, belasting 10 gebruikers 10 s.")
    parser.add_argument("--alleen", default=",".join(DELEN),
                        help=f"Komma-gescheiden deel van {','.join(DELEN)} (de zaaiing draait altijd).")
    parser.add_argument(
        "--geen-document", action="store_true", help="Schrijf docs/PERFORMANCE.md niet; toon het verslag."
    )
    opties = parser.parse_args(argv)
    opties.alleen = [d.strip() for d in opties.alleen.split(",") if d.strip()]
    onbekend = set(opties.alleen) - set(DELEN)
    if onbekend:
        parser.error(f"onbekend deel: {', '.join(sorted(onbekend))} (kies uit {', '.join(DELEN)})")
    return opties


# --- the machine -------------------------------------------------------------------------------------------


def _uitvoer(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "onbekend"


def _last():
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "onbekend"


LAST_BIJ_START = _last()


def machine():
    cpu = "onbekend"
    try:
        for regel in Path("/proc/cpuinfo").read_text().splitlines():
            if regel.startswith("model name"):
                cpu = regel.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    geheugen = "onbekend"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        geheugen = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        synchroon = cursor.fetchone()[0]
    wijzigingen = _uitvoer("git", "status", "--porcelain", "--untracked-files=no")
    return {
        # The machine is shared: what else ran shows in the load, and the figures move with it.
        "load average (1, 5, 15 min) at the start and the end": f"{LAST_BIJ_START} → {_last()}",
        "cores (nproc)": _uitvoer("nproc"),
        "CPU": cpu,
        "memory": geheugen,
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "PostgreSQL": f"{postgres} (fsync {fsync}, synchronous_commit {synchroon})",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": (
            _uitvoer("git", "rev-parse", "--short", "HEAD") + (" with uncommitted changes" if wijzigingen else "")
        ),
    }


# --- the parts ---------------------------------------------------------------------------------------------


def _module(naam):
    """The module, or None when it is not there (another part of the work)."""
    try:
        return importlib.import_module(naam)
    except ModuleNotFoundError as fout:
        if fout.name and naam.startswith(fout.name):
            return None
        raise


def _overgeslagen(titel, reden):
    print(f"[bench] {titel}: overgeslagen — {reden}", flush=True)
    return {"titel": titel, "rijen": [], "doelen": [], "opmerkingen": [f"Skipped: {reden}"]}


def deel_pages(opties, gebruikers, afspraken):
    from scripts.bench.paginas import meet_opslaan, meet_paginas

    aantal = 10 if opties.snel else 50
    # The saves after the pages: they change the agreement the pages were measured on.
    return [meet_paginas(gebruikers, aantal=aantal, profielen=1 if opties.snel else 3),
            meet_opslaan(gebruikers, aantal=aantal)]


def deel_pdf(opties, gebruikers, afspraken):
    module = _module("scripts.bench.pdf")
    if module is None:
        return _overgeslagen("Agreement PDF", "scripts/bench/pdf.py (meet_pdf) is er nog niet")
    concept = afspraken[0]
    return module.meet_pdf(concept, herhalingen=1 if opties.snel else 5)


def deel_laden(opties, gebruikers, afspraken):
    module = _module("scripts.bench.laden")
    if module is None:
        return _overgeslagen("Loading 100,000 student rows", "scripts/bench/laden.py (meet_laden) is er nog niet")
    return module.meet_laden(aantal=100_000, herhalingen=1 if opties.snel else 3)


def deel_belasting(opties, gebruikers, afspraken):
    titel = "Load test (gunicorn on PostgreSQL)"
    module = _module("scripts.belasting")
    if module is None:
        return _overgeslagen(titel, "scripts/belasting.py (gunicorn, draai) is er nog niet")
    from afspraken.models import Uitvoeringsafspraak

    # Only the beleidsmakers of agreements they can still edit (concept); a gereed or signed one has no forms.
    bewerkbaar = set(Uitvoeringsafspraak.objects.filter(status=Uitvoeringsafspraak.Status.CONCEPT)
                     .values_list("pk", flat=True))
    deelnemers = [
        module.Deelnemer(g["gebruikersnaam"], g["wachtwoord"], g["afspraak"], g["regio"])
        for g in gebruikers if g.get("afspraak") in bewerkbaar
    ]
    aantal, duur = (10, 10.0) if opties.snel else (GEBRUIKERS, 60.0)
    with module.gunicorn(os.environ["DATABASE_URL"]) as basis:
        geheugen_voor = module.werkergeheugen(basis)
        # The target: people's pace, a pause of 1.5–4.5 s between actions (DESIGN.md §6).
        deel = module.draai(basis, deelnemers, gebruikers=aantal, duur=duur, denktijd=DENKTIJD_S).als_dict()
        # For information: the same users without a pause, each sending its next request the moment the last is
        # answered. Its mean wait is users ÷ throughput (Little's law), whatever the pages cost: it measures
        # throughput, and has no latency target. Its floor: every request the cheapest page.
        gesloten = None if opties.snel else module.draai(basis, deelnemers, gebruikers=aantal, duur=duur).als_dict()
        vloer = None if opties.snel else module.draai(
            basis, deelnemers, gebruikers=aantal, duur=duur, vloer=VLOER_PAD
        ).als_dict()
        geheugen_na = module.werkergeheugen(basis)
    deel.setdefault("titel", titel)
    deel["opmerkingen"] = [
        f"{aantal} concurrent users for {duur:.0f} s against gunicorn on the seeded PostgreSQL, each logged in as one "
        f"of the {len(deelnemers)} seeded beleidsmakers of a concept agreement (scripts/belasting.py), pausing "
        f"between actions as people do: each pause drawn between {DENKTIJD_S / 2:.1f} and {DENKTIJD_S * 1.5:.1f} s "
        f"({DENKTIJD_S:.0f} s on average), the first action after up to one pause, so the users do not click in "
        "step. Every page is rendered fresh."
    ] + list(deel.get("opmerkingen", []))
    if geheugen_voor and geheugen_na:
        deel["opmerkingen"].append(
            f"Memory (VmRSS) of the {len(geheugen_na)} gunicorn workers: {min(geheugen_voor):.0f}–"
            f"{max(geheugen_voor):.0f} MB each once started, {min(geheugen_na):.0f}–{max(geheugen_na):.0f} MB "
            "after the runs. Workers are recycled after 1,000–1,200 requests (config/gunicorn.conf.py), so a worker "
            "measured after the runs may have started during them."
        )
    if gesloten is not None:
        deel["rijen"].append({
            "soort": "ter informatie: totaal zonder denktijd", "verzoeken": gesloten["verzoeken"],
            "p50_ms": gesloten["p50_ms"], "p95_ms": gesloten["p95_ms"],
        })
        deel["opmerkingen"].append(
            f"For information, no target: the same {aantal} users without pauses: {gesloten['per_seconde']:.1f} "
            f"requests per second (the throughput), p50 {gesloten['p50_ms']:.0f} ms, p95 {gesloten['p95_ms']:.0f} "
            f"ms, {gesloten['fouten']} errors."
        )
        deel["opmerkingen"] += [f"Zonder denktijd: {o}" for o in gesloten["opmerkingen"]]
    if vloer is not None:
        deel["rijen"].append({
            "soort": f"ter informatie: vloer, GET {VLOER_PAD} zonder denktijd", "verzoeken": vloer["verzoeken"],
            "p50_ms": vloer["p50_ms"], "p95_ms": vloer["p95_ms"],
        })
        deel["opmerkingen"].append(
            f"The floor of the run without pauses: the same {aantal} users on the same server, each asking the "
            f"home page ({VLOER_PAD}: the session, the user and one template, the work of the pages' logged-in "
            f"floor) again as soon as it is answered: {vloer['per_seconde']:.1f} requests per second, "
            f"p50 {vloer['p50_ms']:.0f} ms, p95 {vloer['p95_ms']:.0f} ms, {vloer['fouten']} errors. The mix without "
            f"pauses did {_verhouding(gesloten['per_seconde'], vloer['per_seconde'])} this floor's throughput."
        )
    return deel


def _verhouding(teller, noemer):
    return f"{teller / noemer:.1f}×" if noemer else "—"


# --- the document ------------------------------------------------------------------------------------------


def _cel(waarde):
    if isinstance(waarde, float):
        waarde = f"{waarde:.1f}"
    return str("" if waarde is None else waarde).replace("|", "\\|").replace("\n", " ")


def _tabel(rijen):
    kolommen = []
    for rij in rijen:
        kolommen += [k for k in rij if k not in kolommen]
    regels = ["| " + " | ".join(kolommen) + " |", "|" + "---|" * len(kolommen)]
    regels += ["| " + " | ".join(_cel(rij.get(k)) for k in kolommen) + " |" for rij in rijen]
    return regels


def markdown(opties, gegevens, seed, delen):
    regels = [BEGIN, "", "## Latest run", ""]
    regels += [f"- **{k}**: {v}" for k, v in gegevens.items()]
    regels += ["", f"Options: `{' '.join(sys.argv[1:]) or '(none)'}`" + (" — a smoke run, not the figures to quote."
                                                                          if opties.snel else ""), ""]
    regels += ["### The seed", "", f"Seeded in {seed['duur_s']:.0f} s (migrations, reference data, 100,000 student "
               "rows by COPY, the agreements through the section API, one signed through the real flow).", ""]
    regels += _tabel([{"what": k, "count": v} for k, v in seed["tellingen"].items()])
    regels += [""] + [f"- {o}" for o in seed["opmerkingen"]]
    for deel in delen:
        regels += ["", f"### {deel['titel']}", ""]
        if deel.get("doelen"):
            gemist = [d for d in deel["doelen"] if not d["gehaald"]]
            regels += [f"Targets met: {len(deel['doelen']) - len(gemist)} of {len(deel['doelen'])}.", ""]
        if deel.get("rijen"):
            regels += _tabel(deel["rijen"]) + [""]
        if deel.get("doelen"):
            regels += _tabel([{"target": d["naam"], "measured": d["waarde"], "goal": d["doel"],
                               "met": "yes" if d["gehaald"] else "**no**"} for d in deel["doelen"]]) + [""]
        regels += [f"- {o}" for o in deel.get("opmerkingen", [])]
    regels += ["", EINDE]
    return "\n".join(regels)


KOP = """# Performance: `make bench`

National-scale figures, written by `make bench` between the markers below; the rest of this file is written by
hand and kept when the benchmark runs again. Earlier, smaller measurements are in `PRESTATIES.md`.

## How to reproduce

```sh
make bench                                      # everything, about 12 minutes on 2 cores
make bench BENCH_ARGS="--snel"                  # smoke run: fewer requests, short load test
make bench BENCH_ARGS="--alleen pages,pdf"      # some parts (pages, pdf, laden, belasting); the seed always runs
```

`scripts/bench.sh` starts a throwaway PostgreSQL server (`scripts/postgres.sh`, the same as `make test`, but with
fsync and synchronous_commit on, as in production), seeds national scale (`scripts/bench/zaaien.py`: the 40
regions with their 342 gemeenten, every mbo-instelling, one agreement per region with about 20 parties and every
phase answered, 100,000 student rows) and runs the parts. The machine is shared: expect ±30% between runs.

"""

PROFIEL = """
## Wat het profiel liet zien

(To be filled in by hand where a target is missed: what the profile of the slowest pages showed, and what was
changed.)
"""


def schrijf_document(tekst):
    if DOCUMENT.exists():
        oud = DOCUMENT.read_text()
        if BEGIN in oud and EINDE in oud:
            voor, rest = oud.split(BEGIN, 1)
            na = rest.split(EINDE, 1)[1]
            DOCUMENT.write_text(voor + tekst + na)
            return
        DOCUMENT.write_text(oud.rstrip() + "\n\n" + tekst + "\n")
        return
    DOCUMENT.write_text(KOP + tekst + "\n" + PROFIEL)


def samenvatting(delen):
    print("\n=== make bench: samenvatting ===", flush=True)
    for deel in delen:
        doelen = deel.get("doelen", [])
        gehaald = sum(1 for d in doelen if d["gehaald"])
        print(f"{deel['titel']}: {gehaald}/{len(doelen)} doelen gehaald")
        for d in doelen:
            if not d["gehaald"]:
                print(f"  GEMIST {d['naam']}: {d['waarde']} (doel {d['doel']})")
        for o in deel.get("opmerkingen", []):
            if o.startswith("Skipped") or o.startswith("Failed"):
                print(f"  {o}")


def main(argv=None):
    opties = _opties(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("make bench meet tegen PostgreSQL: start het met `make bench` (scripts/bench.sh zet DATABASE_URL).")
    django.setup()

    from afspraken.models import Uitvoeringsafspraak
    from scripts.bench.paginas import kies_afspraken
    from scripts.bench.zaaien import zaai_landelijk

    gebruikers = zaai_landelijk(WACHTWOORD)
    seed = {"duur_s": zaai_landelijk.duur_s, "tellingen": zaai_landelijk.tellingen,
            "opmerkingen": zaai_landelijk.opmerkingen}
    concept, getekend = kies_afspraken(gebruikers)
    afspraken = [Uitvoeringsafspraak.objects.get(pk=concept.pk), getekend]

    uitvoerders = {"pages": deel_pages, "pdf": deel_pdf, "belasting": deel_belasting, "laden": deel_laden}
    delen = []
    # The load of 100,000 rows replaces the seeded student counts: it goes last.
    for naam in ("pages", "pdf", "belasting", "laden"):
        if naam not in opties.alleen:
            continue
        begin = time.perf_counter()
        print(f"[bench] {naam} …", flush=True)
        try:
            deel = uitvoerders[naam](opties, gebruikers, afspraken)
        except Exception:  # one broken part must not cost the figures of the others
            traceback.print_exc()
            deel = {"titel": naam, "rijen": [], "doelen": [{"naam": naam, "waarde": "failed", "doel": "runs",
                                                             "gehaald": False}],
                    "opmerkingen": [f"Failed: {traceback.format_exc().strip().splitlines()[-1]}"]}
        print(f"[bench] {naam}: {time.perf_counter() - begin:.0f} s", flush=True)
        delen += deel if isinstance(deel, list) else [deel]

    tekst = markdown(opties, machine(), seed, delen)
    if opties.geen_document:
        print(tekst, flush=True)  # the whole report, for a run that is not written down
    else:
        schrijf_document(tekst)
        print(f"[bench] geschreven: {DOCUMENT.relative_to(ROOT)}", flush=True)
    samenvatting(delen)


if __name__ == "__main__":
    main()
