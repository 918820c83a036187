"""The order of a round's last steps (Round.step_order): when the recognition decision may be recorded.

In the rules' order (announce first) the council's proposal is announced, producers complain within the
window and the council answers; only then does the authority decide. The operation that records the
decision refuses with the reason below, and the results page explains the same wait before anyone submits.
"""


def decision_wait(closes_on, open_complaints, today):
    """Why the decision on an announced list must still wait: a reason code, or None when it may be recorded.

    ``decision_waits_window``: the complaint window is open (it closes at the end of ``closes_on``);
    ``decision_waits_complaints``: the window has closed with complaints still unanswered.
    """
    if today <= closes_on:
        return "decision_waits_window"
    if open_complaints:
        return "decision_waits_complaints"
    return None
