"""The built-in ranking methods, registered through `showcase.scoring` entry points like plugins."""
