"""Lifelong-learning events, their recurrence and the occurrence index."""
