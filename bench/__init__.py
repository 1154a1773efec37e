"""Benchmarks: each prints a ratio against a baseline measured in the same run.

`python -m bench [NAME ...]`; each benchmark's last line is `NAME: ours <s>, baseline <s>, ratio <r>`.
Benchmarks report speed; they assert nothing.
"""
