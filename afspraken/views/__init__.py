"""Views of an uitvoeringsafspraak, one module per part: writing, the document, signing, verification."""
