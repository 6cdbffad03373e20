from arvio.invitations.links import link_create, link_resolve, link_url, links_revoke


def test_it_resolves_a_token_to_its_invitation(round):
    invitation = round.invitations.get(municipality__code="235")
    token = link_create(invitation=invitation)
    assert link_resolve(token).invitation == invitation
    assert link_resolve(token[:-2] + "xx") is None


def test_it_revokes_the_links_of_one_invitation_only(round):
    kauniainen = round.invitations.get(municipality__code="235")
    vihti = round.invitations.get(municipality__code="927")
    first, second = link_create(invitation=kauniainen), link_create(invitation=kauniainen)
    other = link_create(invitation=vihti)
    links_revoke(invitation=kauniainen)
    assert link_resolve(first) is None
    assert link_resolve(second) is None
    assert link_resolve(other).invitation == vihti


def test_it_makes_the_address_of_the_answer_site(round):
    assert link_url("abc") == "http://testserver/a/abc/"
