"""Refusals are pages in the portal's style, never a server error."""


def test_a_method_a_page_does_not_take_gets_the_405_page(client):
    # Regression: no route matches on a 405, so the header's navigation had no endpoint and the page failed with a 500.
    response = client.put("/assessments/readiness/start")
    assert response.status_code == 405
    assert "That page cannot be used in that way" in response.get_data(as_text=True)


def test_a_405_page_says_which_methods_the_page_takes(client):
    response = client.delete("/council/submissions/")
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    response = client.put("/assessments/readiness/start")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
