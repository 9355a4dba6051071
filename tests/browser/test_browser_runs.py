def test_the_home_page_opens_in_chromium_and_is_saved_for_a_person_to_see(page, shoot):
    response = page.goto("/")

    assert response.status == 200
    assert "售后" in page.title()
    phone, desktop = shoot(page, "home")
    assert phone.stat().st_size > 0
    assert desktop.stat().st_size > 0
