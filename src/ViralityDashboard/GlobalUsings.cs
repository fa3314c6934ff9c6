// The app composes every feature of the Training project: its pages, verbs and endpoints use both model kinds,
// the registry and the schedule, so the feature namespaces are imported once here.
global using ViralityDashboard.Training.Engagement;
global using ViralityDashboard.Training.Preference;
global using ViralityDashboard.Training.Registry;
global using ViralityDashboard.Training.Scheduling;
global using ViralityDashboard.Training.Monitoring;
