"""Evaluation: gold set, metrics, baselines, report and regression gate."""
