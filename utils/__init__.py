"""Provided helpers for the nndl notebooks: data, plots, checks, gradient checking, progress.

Import what you need from the submodules, e.g. ``from utils.data import load_dataset``.
Nothing here is a solution to a graded exercise.
"""
