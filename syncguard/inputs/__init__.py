"""Everything that describes an input file: the kinds of record, their fields, the header names
each source uses for them, the reports ``balance`` reads, and how flag cells are read.

Kept free of database and dataframe imports: the CLI's ``--help`` and the config validator
read it, and they must start fast.
"""
