from linter.entry import run

run()
