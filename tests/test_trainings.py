"""Training courses for governmental experts (R26, ToR ¶31): the secretariat lists courses (dates, place,
language, materials); focal points register their own State's experts and the secretariat any; the
secretariat records attendance; the expert list shows who is trained; bad input changes nothing."""

from tests.conftest import csrf_from, last_form, localized_field, set_localized
from tests.test_experts import nominate


def add_course(client, title="Reviewing the Convention", start="2027-03-01", end="2027-03-03", status=303):
    form = last_form(client.get("/trainings/@@add"))
    set_localized(form, "title", title, "fr")
    localized_field(form, "title", "original").value = "fr"
    set_localized(form, "place", "Vienne", "fr")
    localized_field(form, "place", "original").value = "fr"
    form["language"] = "fr"
    set_localized(form, "materials", "Guidelines; blueprint.")
    form.set("date", start, index=0)  # deform names both date fields "date": first day, last day
    form.set("date", end, index=1)
    return form.submit("save", status=status)


def course_of(portal, name="1"):
    with portal.root() as root:
        course = root["trainings"][name]
        return dict(course.registrations), dict(course.attended)


def register(client, expert, path="/trainings/1/", status=303):
    return client.post(path + "@@register", {"csrf_token": csrf_from(client.get(path)), "expert": expert},
                       status=status)


def test_r26_training_courses_registration_attendance_and_the_expert_list(portal, signed_in):
    sec = signed_in("sec", "secretariat", None)
    ken, fra = signed_in("ken-fp", "focal-point", "KEN"), signed_in("fra-fp", "focal-point", "FRA")
    nominate(ken, "Amina Odhiambo")
    nominate(fra, "Claire Martin")
    add_course(sec)
    page = ken.get("/trainings/")
    assert "Reviewing the Convention" in page.text and "Français" in page.text
    # A focal point is offered its own State's experts only, and cannot register another State's.
    course = ken.get("/trainings/1/")
    assert "Amina Odhiambo" in course.text and "Claire Martin" not in course.text
    register(ken, "ken-1")
    assert "is registered for this course already" in register(ken, "ken-1", status=400).text  # duplicated
    assert "Choose one of your State" in register(ken, "fra-1", status=400).text
    register(sec, "fra-1")
    # Each State sees only its own experts on the course; the secretariat sees all.
    assert "Claire Martin" not in ken.get("/trainings/1/").text
    assert "Amina Odhiambo" in sec.get("/trainings/1/").text and "Claire Martin" in sec.get("/trainings/1/").text
    # Attendance is the secretariat's record; the expert list then shows who is trained.
    form = last_form(sec.get("/trainings/1/"))
    for field in form.fields["attended"]:
        field.checked = field._value == "ken-1"
    form.submit(status=303)
    registrations, attended = course_of(portal)
    assert set(registrations) == {"ken-1", "fra-1"} and set(attended) == {"ken-1"}
    listing = sec.get("/experts/").text
    assert "Reviewing the Convention" in listing.split("Amina Odhiambo", 1)[1].split("</tr>", 1)[0]
    assert "Reviewing the Convention" not in listing.split("Claire Martin", 1)[1].split("</tr>", 1)[0]
    assert ken.get("/trainings/1/@@json").json["registered"] == ["ken-1"]  # not the other State's expert
    assert sec.get("/trainings/1/@@json").json["attended"] == ["ken-1"]
    assert ken.post("/trainings/1/@@attendance", {"csrf_token": csrf_from(ken.get("/")), "attended": "fra-1"},
                    status=403)


def test_r26_bad_input_changes_nothing(portal, signed_in):
    sec = signed_in("sec", "secretariat", None)
    ken = signed_in("ken-fp", "focal-point", "KEN")
    page = add_course(sec, start="2027-03-05", end="2027-03-01", status=200)
    assert "The last day cannot be before the first day." in page.text and "Reviewing the Convention" in page.text
    assert "Give the text in its original language." in add_course(sec, title="", status=200).text
    ken.get("/trainings/@@add", status=403)
    signed_in("ken-x", "expert", "KEN").get("/trainings/")  # experts read the courses
    portal.client().get("/trainings/", status=303)  # the public does not
    with portal.root() as root:
        assert len(root["trainings"]) == 0
    add_course(sec)
    nominate(ken, "Amina Odhiambo")
    assert register(ken, "../users/admin", status=400)
    assert ken.post("/trainings/1/@@register", {"expert": "ken-1"}, status=400)  # no CSRF token
    assert course_of(portal) == ({}, {})
