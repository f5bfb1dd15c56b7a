"""What the tests share: scratch courses and corpora, notebook and lab runners, system packages."""
