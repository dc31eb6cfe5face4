"""What WeasyPrint 70's tagging leaves short of PDF/UA-1, put right before the PDF is written.

`maak_af` is WeasyPrint's `finisher`: it gets the pydyf objects after tagging and metadata, before the file is
written, so nothing is parsed or written twice and no other library is needed. Each step is generic (it looks at
the structure tree, not at our templates) and leaves a file that does not need it unchanged:

- an IDTree in the StructTreeRoot: WeasyPrint gives every TH an /ID and every TD /Headers with those ids, but
  without the IDTree the ids cannot be resolved;
- a definition list's groups (`<dl><div><dt><dd>`, tagged L > Div > LI > LBody) become L > LI > Lbl + LBody;
- the page margin boxes (running header, "Pagina N van M"): WeasyPrint marks their text with an MCID but links
  its elements to nothing in the tree; such content becomes a pagination artifact and leaves the ParentTree.
"""

import pydyf


def _nummer(verwijzing):
    return int(bytes(verwijzing).split()[0])  # pydyf writes a reference as b"12 0 R"


def _object(pdf, verwijzing):
    if isinstance(verwijzing, bytes) and verwijzing.endswith(b" R"):
        return pdf.objects[_nummer(verwijzing)]
    return None


def _elementen(pdf, wortel):
    """Every structure element reachable from the StructTreeRoot."""
    gevonden, stapel = {}, list(wortel["K"])
    while stapel:
        element = _object(pdf, stapel.pop())
        if isinstance(element, pydyf.Dictionary) and "S" in element and element.number not in gevonden:
            gevonden[element.number] = element
            stapel.extend(element.get("K", ()))
    return gevonden


def _id_boom(pdf, wortel, elementen):
    ids = sorted((str(e["ID"].string), e.reference) for e in elementen.values() if "ID" in e)
    if ids:
        boom = pydyf.Dictionary({"Names": pydyf.Array([w for i, r in ids for w in (pydyf.String(i), r)])})
        pdf.add_object(boom)
        wortel["IDTree"] = boom.reference


def _definitielijsten(pdf, elementen):
    for lijst in [e for e in elementen.values() if e["S"] == "/L"]:
        for groep in [_object(pdf, k) for k in lijst["K"]]:
            if not isinstance(groep, pydyf.Dictionary) or groep.get("S") != "/Div":
                continue
            items = [_object(pdf, k) for k in groep["K"]]
            if not items or not all(isinstance(i, pydyf.Dictionary) and i.get("S") == "/LI" for i in items):
                continue
            # Each item is WeasyPrint's LI wrapped around the dt's or dd's LBody: keep the bodies, drop the
            # wrappers (they hold no content themselves). The first of a group is the term (dt) unless the group
            # was split over pages and this part has only one.
            groep["S"] = "/LI"
            kinderen = pydyf.Array()
            for positie, item in enumerate(items):
                for lichaam in [_object(pdf, k) for k in item["K"]]:
                    if not isinstance(lichaam, pydyf.Dictionary) or "S" not in lichaam:
                        continue
                    lichaam["S"] = "/Lbl" if positie == 0 and len(items) > 1 else "/LBody"
                    lichaam["P"] = groep.reference
                    kinderen.append(lichaam.reference)
            groep["K"] = kinderen


def _marges_als_artefact(pdf, wortel, elementen):
    ouderboom = _object(pdf, wortel["ParentTree"])
    nums = ouderboom["Nums"]
    paginas = pdf.pages["Kids"][::3]
    for i in range(0, len(nums), 2):
        if not isinstance(nums[i + 1], pydyf.Array) or nums[i] >= len(paginas):
            continue  # an annotation's entry, not a page's
        per_mcid = nums[i + 1]
        wezen = {mcid for mcid, r in enumerate(per_mcid) if _nummer(r) not in elementen}
        if not wezen:
            continue
        for mcid in wezen:
            per_mcid[mcid] = "null"
        inhoud = _object(pdf, pdf.objects[paginas[nums[i]]]["Contents"]).stream
        for j in range(2, len(inhoud)):
            eigenschappen = inhoud[j - 1]
            if (inhoud[j] == b"BDC" and isinstance(eigenschappen, pydyf.Dictionary)
                    and eigenschappen.get("MCID") in wezen):
                inhoud[j - 2] = "/Artifact"
                inhoud[j - 1] = pydyf.Dictionary({"Type": "/Pagination"})


def maak_af(document, pdf):
    """WeasyPrint finisher: complete the tagged structure (see the module's docstring)."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    wortel = _object(pdf, pdf.catalog["StructTreeRoot"])
    elementen = _elementen(pdf, wortel)
    _id_boom(pdf, wortel, elementen)
    _definitielijsten(pdf, elementen)
    _marges_als_artefact(pdf, wortel, elementen)
