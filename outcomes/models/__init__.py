from outcomes.models.checkins import Answer, CheckIn
from outcomes.models.demographics import Category, Observation, Question
from outcomes.models.gpra import Interview
from outcomes.models.instruments import Instrument, Item, ResponseOption, Scale, Threshold
from outcomes.models.program import OutcomeSettings

__all__ = ["Answer", "Category", "CheckIn", "Instrument", "Interview", "Item", "Observation", "OutcomeSettings",
           "Question", "ResponseOption", "Scale", "Threshold"]
