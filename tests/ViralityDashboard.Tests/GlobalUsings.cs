// As in the app: its pages, verbs and endpoints (and so their tests) use every feature of the Training project.
global using ViralityDashboard.Training.Engagement;
global using ViralityDashboard.Training.Preference;
global using ViralityDashboard.Training.Registry;
global using ViralityDashboard.Training.Scheduling;
