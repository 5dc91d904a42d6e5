def test_matrix_page_renders_for_member(client_for, admin_user, process, municipality):
    response = client_for(admin_user).get(f"/m/{municipality.code}/")
    assert response.status_code == 200
    assert "児童手当事務" in response.content.decode()
