"""Catalogue design: which ``k`` carton sizes best serve an order history (Zhang et al. 2018).

Each order of the history gets its least-area box (:func:`freesize.design_box`), rounded up to
whole centimetres; those boxes are the candidate carton sizes. A candidate serves an order
when the order's box fits inside it side by side (a box of freely turning items lies on its
largest face; one with "this side up" items keeps its vertical), a sufficient test that needs
no packing. Sizes are then chosen greedily, each time the
one that most lowers the history's board, every order taking the least-board size that serves
it (facility location; the greedy choice is within 1 - 1/e of the best for this objective).

References
----------
Zhang, X. et al. (2018). A novel bin design problem and high performance algorithm for
e-commerce logistics system. arXiv:1812.02565.

"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from greenlane.packing.freesize import Design, design_box
from greenlane.packing.model import Carton, Item
from greenlane.packing.tables import blank_board_kg


def design_catalogue(
    orders: Sequence[Sequence[Item]],
    k: int,
    board_gsm: float = 400.0,
    max_weight_kg: float = 30.0,
    iterations: int = 10,
) -> tuple[list[Carton], float, int]:
    """``k`` carton sizes, the history's board kg with them, and the orders none serves.

    Sizes come least board first. While choosing, an order that no chosen size serves counts
    ten times the dearest board, so sizes that serve more orders come first.

    Parameters
    ----------
    orders
        The order history, each order its items.
    k
        How many carton sizes to design.
    board_gsm
        Board grammage, g/m2 (each size's board from its FEFCO 0201 blank).
    max_weight_kg
        The weight limit of every size.
    iterations
        Improvement moves per order's box design.

    Returns
    -------
    tuple of list of Carton, float, int
        The sizes, the history's board kg with them, and how many orders none serves.

    Raises
    ------
    ValueError
        When ``k`` < 1 or the history is empty.

    """
    if k < 1 or not orders:
        raise ValueError("need k >= 1 and at least one order")
    boxes = np.array(
        [_rounded(design_box(items, iterations=iterations), items) for items in orders]
    )
    candidates = np.unique(boxes, axis=0)
    board = np.array(
        [blank_board_kg(float(a), float(b), float(c), board_gsm) for a, b, c in candidates]
    )
    unserved = 10 * float(board.max())
    cost = np.where(_serves(candidates, boxes), board[:, None], unserved)  # sizes x orders
    best = np.full(len(orders), unserved)
    chosen: list[int] = []
    for _ in range(min(k, len(candidates))):
        pick = int(np.argmin(np.minimum(best[None, :], cost).sum(axis=1)))
        chosen.append(pick)
        best = np.minimum(best, cost[pick])
    cartons = []
    for n, i in enumerate(sorted(chosen, key=lambda i: board[i]), start=1):
        length, width, height = (float(d) for d in candidates[i])
        cartons.append(Carton(f"K{n}", length, width, height, max_weight_kg, float(board[i])))
    served = best < unserved
    return cartons, float(best[served].sum()), int((~served).sum())


def _rounded(design: Design, items: Sequence[Item]) -> tuple[int, ...]:
    """The design's box in whole centimetres, third side vertical.

    An order whose items may all turn any way lies on its largest face (sides in descending
    order); otherwise its vertical stays and only its floor sides are ordered.
    """
    length, width, height = (
        math.ceil(d - 1e-9) for d in (design.length_cm, design.width_cm, design.height_cm)
    )
    if all(i.verticals == "lwh" for i in items):
        return tuple(sorted((length, width, height), reverse=True))
    return (max(length, width), min(length, width), height)


def _serves(candidates: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Whether each candidate holds each order's box, turned about the vertical at most."""
    return np.all(candidates[:, None, :] >= boxes[None, :, :], axis=2)
