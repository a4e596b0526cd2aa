from linter.cli import command

command()
