"""The personal-data download lists what a person wrote: the comments module adds it through the
PERSONAL_DATA hook, since accounts (below comments) may not import comments."""


def test_the_data_export_lists_the_comments_and_supports_a_person_gave(
    client, create_user, create_organisation, create_consultation, create_comment, create_support, login
):
    user = create_user(email="ewa@example.org")
    own = create_organisation("Fundacja Ewy", members=[user])
    other = create_organisation("Stowarzyszenie Innych")
    consultation = create_consultation()
    comment = create_comment(consultation, own, author=user, proposed_text="Nowe brzmienie § 1.")
    foreign = create_comment(consultation, other)
    create_support(foreign, own, user=user)
    login(user)
    data = client.get("/account/export").get_json()
    assert [(c["number"], c["organisation"], c["proposed_text"]) for c in data["comments"]] == [
        (comment.number, "Fundacja Ewy", "Nowe brzmienie § 1.")
    ]
    assert [(s["comment_id"], s["organisation"]) for s in data["supports"]] == [(foreign.id, "Fundacja Ewy")]
    assert data["comment_revisions"] == []
