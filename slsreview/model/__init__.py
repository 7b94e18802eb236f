"""The project model: ``Project``, ``Function``, ``Worker`` and the resources rules read."""
