"""The outputs: one package per builder, and the registry the build discovers them from.

``BUILDERS`` lists every builder as ``"module:Class"``, in the order their outputs appear; the site comes
last (it links to and packs the downloads). Adding an output is one new package below ``builders/`` and
one line here (see ARCHITECTURE.md); the build machinery is not edited.
"""

BUILDERS: list[str] = [
    "generator.builders.decks:DeckBuilder",
    "generator.builders.exports:ExportBuilder",
    "generator.builders.leaflets:LeafletBuilder",
    "generator.builders.site.builder:SiteBuilder",
]
