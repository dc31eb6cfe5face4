"""`make bench` (see __main__.py). Shared here: one table row of timings, as the PDF and load parts report them."""

import statistics


def stap_rij(naam, tijden, toelichting=""):
    return {
        "step": naam,
        "median (s)": round(statistics.median(tijden), 3),
        "min (s)": round(min(tijden), 3),
        "max (s)": round(max(tijden), 3),
        "note": toelichting,
    }
