"""Refilling a form page: the posted form only, every kind of field, secrets never echoed."""

from __future__ import annotations

from veille.web.refill import Posted, refill

PAGE = """<main><form method="post" action="/other"><input name="text" value=""></form>
<form method="post" action="/save"><input type="hidden" name="csrf" value="tok">
<input name="name" value=""><input name="password" type="password">
<textarea name="rules">old</textarea>
<select name="kind"><option value="brand" selected>marque<option value="leads">pistes</select>
<input type="checkbox" name="evergreen" checked><input name="alt"><input name="alt"></form>
</main>"""


def test_the_posted_form_comes_back_as_typed_with_errors_beside_fields() -> None:
    values = {
        "csrf": ["forged"],
        "name": ['<b>"Martin"</b>'],
        "password": ["secret"],
        "rules": ["a <b>\nb"],
        "kind": ["leads"],
        "alt": ["un", "deux"],
    }
    page = refill(PAGE, Posted("/save", "/page", values, {"rules": "Ligne 1 : vide."}, "Refusé."))
    other, saved = page.split("</form>", 1)
    assert 'value=""' in other  # another form keeps its own values
    assert 'value="&lt;b&gt;&quot;Martin&quot;&lt;/b&gt;"' in saved
    assert "secret" not in page and 'value="tok"' in saved and "forged" not in page
    textarea = '<textarea name="rules" aria-invalid="true" aria-describedby="error-rules">'
    error = '<span class="error field-error" role="alert" id="error-rules">Ligne 1 : vide.</span>'
    assert f"{textarea}a &lt;b&gt;\nb</textarea>{error}" in saved
    assert (
        '<option value="brand">' in saved and '<option value="leads" selected="selected">' in saved
    )
    assert '<input type="checkbox" name="evergreen">' in saved  # not posted: unchecked
    assert 'value="un"' in saved and 'value="deux"' in saved
    assert saved.index("Refusé.") < saved.index('name="csrf"')  # at the top of the form


def test_a_page_without_the_form_still_shows_the_errors() -> None:
    page = refill("<main><p>x</p></main>", Posted("/save", "/", {}, {"name": "Vide."}))
    named = '<span translate="no">name</span> : Vide.'  # a field name, not interface words
    assert page.startswith(f'<main><p class="error field-error" role="alert">{named}</p>')
