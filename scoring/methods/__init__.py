"""The built-in ranking methods, registered through the `showcase.scoring` entry points."""
