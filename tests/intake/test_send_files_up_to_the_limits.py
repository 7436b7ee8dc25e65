"""Files up to the stated limits are all kept; past them the form says which file and why,
keeps what the person typed, and stores nothing (issue 10, items 8 and 12).

Five files of 10 MB — the documented maximum — were dropped without a word while a receipt was
shown: Django's memory upload handler gives up on a request over its limit and the form saw no
files at all.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from kuzot.intake.models import Submission
from kuzot.uploads import COMPLAINT_FILE_BYTES, COMPLAINT_FILES
from tests.intake.conftest import complain, image_bomb, receipt_of

STORY = "Меня держали в ИВС трое суток без адвоката."


def pdf(size: int, n: int = 0) -> bytes:
    head = f"%PDF-1.4 letter {n} ".encode()
    return head + b"\0" * (size - len(head))


def test_five_files_of_the_maximum_size_are_all_kept(world, client):
    files = [
        SimpleUploadedFile(f"letter-{n}.pdf", pdf(COMPLAINT_FILE_BYTES, n))
        for n in range(COMPLAINT_FILES)
    ]
    response = complain(client, files=files, what_happened=STORY)
    assert receipt_of(response)
    assert Submission.objects.get().attachments.count() == COMPLAINT_FILES


def test_a_file_over_the_limit_is_named_and_the_text_is_kept(world, client):
    files = [SimpleUploadedFile(f"letter-{n}.pdf", pdf(COMPLAINT_FILE_BYTES, n)) for n in range(4)]
    files.append(SimpleUploadedFile("recording.pdf", pdf(COMPLAINT_FILE_BYTES + 1)))
    html = complain(client, files=files, what_happened=STORY).content.decode()
    assert "“recording.pdf” is larger than 10 MB" in html
    assert STORY in html and 'id="receipt"' not in html
    assert not Submission.objects.exists()


def test_files_past_the_request_limit_are_refused_not_dropped(world, client):
    """Six files of 10 MB: the request is over the limit of all files together."""
    files = [
        SimpleUploadedFile(f"letter-{n}.pdf", pdf(COMPLAINT_FILE_BYTES, n))
        for n in range(COMPLAINT_FILES + 1)
    ]
    html = complain(client, files=files, what_happened=STORY).content.decode()
    assert "at most 5 files" in html and STORY in html
    assert not Submission.objects.exists()


def test_the_form_states_the_limits(world, client):
    html = client.get("/complaint/a/").content.decode()
    assert "Up to 5 files, 10 MB each (50 MB in all)." in html


def test_an_image_bomb_is_refused_at_once(world, client):
    bomb = SimpleUploadedFile("photo.png", image_bomb())
    html = complain(client, files=[bomb], what_happened=STORY).content.decode()
    assert "“photo.png”: This image is too large: at most 40 million pixels." in html
    assert STORY in html
    assert not Submission.objects.exists()
