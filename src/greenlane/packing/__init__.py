"""Carton selection and 3D packing: which box, and where each item goes in it.

Pure engines (no I/O): :mod:`.model` (items, cartons, placements), :mod:`.checker` (an
independent geometric check of any packing), :mod:`.place` (the extreme-point packer) and
:mod:`.select` (the cartons for an order, by an objective).
"""
