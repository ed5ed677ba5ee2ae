"""The course edition: assignments built from master notebooks, student notebooks and autograding.

One master notebook per method notebook lives in the top-level ``course/masters/`` folder, in
otter-grader's assignment format (questions, solutions, public and hidden tests) with English and
Chinese cells tagged ``en`` / ``zh`` like the method notebooks. otter-grader is the engine: it strips
solutions and hidden tests and grades; crmlab adds the language filter, time limits and the grade files.

- `crmlab.course.masters`: find and select masters, their questions and points, one language's copy.
- `crmlab.course.build`: ``crmlab course build``: student notebook, solution notebook and autograder.
- `crmlab.course.worker`: grades one notebook in its own process, under a time limit per cell.
- `crmlab.course.grading`: ``crmlab course grade`` and ``check``: every submission, ``grades.csv``.
- `crmlab.course.feedback`: the feedback a student reads, in the teacher's language.
- `crmlab.course.cli`: the ``crmlab course`` subcommands.
"""
