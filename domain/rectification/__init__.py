"""Feedback and rectification (反馈与整改): per inspected unit of a round, the feedback report
and its problem, task and responsibility lists; each task reported done, verified and closed
(对账销号), optionally revisited with satisfaction ballots."""
