"""Settings package: ``base`` holds everything, ``production`` hardens it for deployment."""
