"""Identicons: a small symmetric picture drawn from an avatar hash, so no third party sees readers.

`svg(hash)` is a pure function: the same hash always gives the same picture, byte for byte,
which is what lets `/avatar/HASH.svg` be cached forever.
"""

import re

GRID = 5
HASH = re.compile(r"^[0-9a-f]{16,64}$")


def svg(avatar_hash):
    """The SVG document for a lower-case hex hash (16–64 digits); anything else is a ValueError."""
    if not isinstance(avatar_hash, str) or not HASH.match(avatar_hash):
        raise ValueError("an avatar hash is 16 to 64 lower-case hex digits")
    value = int(avatar_hash, 16)
    hue = value % 360
    saturation = 45 + (value >> 9) % 25
    cells = _cells(value >> 16)
    squares = "".join(f"M{column} {row}h1v1h-1z" for row, column in cells)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 7 7" width="64" height="64" '
        'shape-rendering="crispEdges">'
        f'<rect x="-1" y="-1" width="7" height="7" fill="hsl({hue} {saturation}% 92%)"/>'
        f'<path fill="hsl({hue} {saturation}% 42%)" d="{squares}"/>'
        "</svg>"
    )


def _cells(bits):
    """Filled (row, column) cells: the left three columns come from the bits, mirrored to the right."""
    filled = []
    for row in range(GRID):
        for column in range((GRID + 1) // 2):
            if bits >> (row * 3 + column) & 1:
                filled.append((row, column))
                if column != GRID - 1 - column:
                    filled.append((row, GRID - 1 - column))
    if not filled:  # an empty picture looks broken: fall back to the centre column
        filled = [(row, GRID // 2) for row in range(GRID)]
    return sorted(filled)
