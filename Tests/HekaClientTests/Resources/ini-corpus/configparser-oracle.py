# What Python's ConfigParser makes of each INI file named on the command line: one JSON
# line per file, {"error": LINE} when the file is refused, else {"sections": [[name,
# [[key, value] or [key, null, error class], ...]], ...]} with every key of every section
# (DEFAULT's included) as get() returns it.
#
# Under Python 3 it uses configparser in the settings closest to Python 2.7's
# SafeConfigParser; under Python 2.7 it uses SafeConfigParser itself, which is how the
# python2.7-only/*.json records were made:
#     for f in python2.7-only/*.ini; do python2.7 configparser-oracle.py "$f" > "${f%.ini}.json"; done
import json
import sys

try:
    import configparser

    def make():
        return configparser.ConfigParser(
            interpolation=configparser.BasicInterpolation(), strict=False, delimiters=('=', ':'),
            comment_prefixes=('#', ';'), inline_comment_prefixes=(';',), empty_lines_in_values=True)

    def read(parser, data):
        parser.read_string(data.decode('utf-8'))
except ImportError:
    import ConfigParser as configparser
    import StringIO

    def make():
        return configparser.SafeConfigParser()

    def read(parser, data):
        parser.readfp(StringIO.StringIO(data))


def dump(data):
    parser = make()
    try:
        read(parser, data)
    except configparser.MissingSectionHeaderError as error:
        return {"error": error.lineno}
    except configparser.ParsingError as error:
        return {"error": error.errors[0][0]}
    sections = []
    for name in parser.sections():
        options = []
        for option in parser.options(name):
            try:
                options.append([option, parser.get(name, option)])
            except configparser.InterpolationError as error:
                options.append([option, None, type(error).__name__])
        sections.append([name, options])
    return {"sections": sections}


for path in sys.argv[1:]:
    with open(path, 'rb') as source:
        sys.stdout.write(json.dumps(dump(source.read()), sort_keys=True) + "\n")
