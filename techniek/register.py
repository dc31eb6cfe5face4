"""Contributions of higher apps to a lower one, registered from their AppConfig.ready().

This keeps the dependency direction (regio ← afspraken ← aanbod, financiering): the lower app calls what
was registered without importing the apps above it, the way Django's checks framework does.
"""


class Register:
    def __init__(self, naam):
        self.naam = naam
        self._items = []

    def registreer(self, item):
        """Add an item once; usable as a decorator."""
        if item not in self._items:
            self._items.append(item)
        return item

    def __iter__(self):
        return iter(tuple(self._items))

    def __len__(self):
        return len(self._items)
