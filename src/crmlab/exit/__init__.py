"""10 customer exit management: AHP factor weights, the neural-network exit classifier and the exit list.

Modules, in the order of notebook ``10-exit-classification``:

- `crmlab.exit.ahp`: AHP weights and consistency of pairwise-comparison matrices and hierarchies.
- `crmlab.exit.factors`: the nine factors and their hierarchy, the checked factor table, the
  composite AHP score and the good / medium / bad labels.
- `crmlab.exit.model`: the neural-network classifier against its baselines.
- `crmlab.exit.exit_list`: the k-of-n periods rule, the exit list with reasons, the checklist.
- `crmlab.exit.charts`: the charts of the report.
"""
