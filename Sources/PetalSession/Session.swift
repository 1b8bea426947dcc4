import PetalData
