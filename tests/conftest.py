import matplotlib

matplotlib.use("Agg")


# The longest test files first: each file runs whole on one process (pytest-xdist's loadfile),
# so a long one started last would keep one process busy after the others have finished.
LONGEST_FIRST = ["test_adversarial.py", "test_identical_scores.py", "test_grade.py",
                 "test_grade_alone.py", "test_browser.py", "test_hub.py",
                 "test_week4_accuracy.py", "test_student_experience.py", "test_feedback.py",
                 "test_grading_limits.py", "test_course.py", "test_instructor_flow.py"]


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
