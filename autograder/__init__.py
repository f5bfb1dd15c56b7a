"""The instructor's side of nndl: build, verify and grade the course with nbgrader."""
