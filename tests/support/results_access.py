"""The per-round access matrix of results and deliberation routes: expected status per role."""

ROLES = ("chair", "secretary", "member", "juror", "owner", "outsider", "anonymous")


OK, BACK, BAD, FORBIDDEN, NOT_FOUND, LOGIN = 200, 302, 400, 403, 404, "login"


VIEWERS = {"chair": OK, "secretary": OK, "member": OK, "juror": NOT_FOUND, "owner": FORBIDDEN,
           "outsider": NOT_FOUND, "anonymous": LOGIN}


def only(allowed, outcome, otherwise=NOT_FOUND):
    table = {"juror": NOT_FOUND, "owner": FORBIDDEN, "outsider": NOT_FOUND, "anonymous": LOGIN,
             "chair": otherwise, "secretary": otherwise, "member": otherwise}
    table.update(dict.fromkeys(allowed, outcome))
    return table


# Checked in this order: the secretary's POST to publish really publishes, so the public list comes first.
ROUND_MATRIX = {
    "public.results_round": ("GET", "/results/{round}", dict.fromkeys(ROLES, NOT_FOUND)),  # not published yet
    "results.view": ("GET", "/rounds/{round}/results", VIEWERS),
    "results.analysis": ("GET", "/rounds/{round}/results/analysis", VIEWERS),
    "results.score_matrix": ("GET", "/rounds/{round}/results/scores.xlsx", VIEWERS),
    "results.results_table": ("GET", "/rounds/{round}/results/results.xlsx", VIEWERS),
    "results.minutes_pdf": ("GET", "/rounds/{round}/results/decisions/{decision}/minutes.pdf", VIEWERS),
    "results.decision_list_pdf": ("GET", "/rounds/{round}/results/decisions/{decision}/list.pdf", VIEWERS),
    "results.decision_list_docx": ("GET", "/rounds/{round}/results/decisions/{decision}/list.docx", VIEWERS),
    "results.decision_pdf": ("GET", "/rounds/{round}/results/decisions/{decision}/decision.pdf", VIEWERS),
    "results.decision_docx": ("GET", "/rounds/{round}/results/decisions/{decision}/decision.docx", VIEWERS),
    "results.minutes_docx": ("GET", "/rounds/{round}/results/decisions/{decision}/minutes.docx", VIEWERS),
    # The round's documents signed with the authority's key: the organiser signs (here the authority signs elsewhere:
    # back with the reason) or uploads; no signed copy yet to download.
    "results.sign_vote_document": ("POST", "/rounds/{round}/results/decisions/{decision}/sign/minutes",
                                   only(["secretary"], BACK)),
    "results.upload_vote_document": ("GET", "/rounds/{round}/results/decisions/{decision}/upload/minutes",
                                     only(["secretary"], OK)),
    "results.signed_vote_document": ("GET", "/rounds/{round}/results/decisions/{decision}/signed/minutes.pdf",
                                     only([], NOT_FOUND)),
    "results.prizes": ("GET", "/rounds/{round}/results/prizes", only(["secretary"], OK)),
    "results.publish": ("POST", "/rounds/{round}/results/publish", only(["secretary"], BACK)),
    "results.decide": ("POST", "/rounds/{round}/results/decisions/{decision}", only(["secretary"], BAD)),
    "results.strike": ("POST", "/rounds/{round}/results/entries/{entry}/strike", only(["chair", "secretary"], BACK)),
    # The round is decided: the chair and secretary are sent back with "not at this stage".
    "results.restore": ("POST", "/rounds/{round}/results/strikes/{strike}/restore",
                        only(["chair", "secretary"], BACK)),
    "results.vote": ("POST", "/rounds/{round}/results/vote", only(["chair", "secretary"], BAD)),
    "results.ask_justification": ("POST", "/rounds/{round}/results/sheets/{sheet}/justification-request",
                                  only(["chair", "secretary"], BACK)),
    "results.answer": ("POST", "/rounds/{round}/results/complaints/999999/answer", only([], NOT_FOUND)),
    "jury.justify": ("POST", "/jury/rounds/{round}/sheets/{sheet}/justification",
                     {**only([], NOT_FOUND), "juror": BACK}),
    "producer.complaint_file": ("POST", "/producer/applications/{entry}/complaint", {
        "chair": FORBIDDEN, "secretary": FORBIDDEN, "member": FORBIDDEN, "juror": FORBIDDEN, "owner": BAD,
        "outsider": FORBIDDEN, "anonymous": LOGIN}),
}
